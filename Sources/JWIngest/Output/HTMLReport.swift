import Crypto
import Foundation

/// The run as one self-contained HTML page (`--html FILE.html`), for people: the totals, a chart of the
/// bytes sent over time, the time spent in each stage, and a sortable table of the items, failures first.
///
/// The page fetches nothing: its styles and its small sorting script are inline, its charts inline SVG, and
/// a `Content-Security-Policy` allows no source but that style and script (by their SHA-256), so that even
/// a browser that is offline shows all of it, and nothing in it can call out. Every text that comes from
/// a manifest or a server (ids, titles, errors, keys) is HTML-escaped. It holds only what the
/// ``RunSummary`` holds, whose endpoint is already redacted, and no link.
///
/// ```swift
/// let summary = try await runner.run()
/// try summary.writeReports(html: URL(fileURLWithPath: "report.html"))
/// ```
public struct HTMLReport: Sendable, Hashable {
    /// The run shown.
    public var summary: RunSummary

    /// The report of `summary`.
    ///
    /// - Parameter summary: The run, as ``IngestRunner`` returns it or as
    ///   ``RunSummary/init(journalOf:entries:endpoint:)`` rebuilds it from a journal.
    public init(summary: RunSummary) { self.summary = summary }

    /// The whole page, from `<!DOCTYPE html>` to `</html>`, ending with a line break.
    public var document: String {
        let name = Self.escaped(summary.manifest.lastPathComponent)
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="\(Self.contentSecurityPolicy)">
            <meta name="referrer" content="no-referrer">
            <title>jwingest report: \(name)</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <header>
            <h1>jwingest report <span class="manifest">\(name)</span></h1>
            \(verdict)
            </header>
            <main>
            <section id="totals" aria-labelledby="totals-heading">
            <h2 id="totals-heading">Totals</h2>
            \(totals)
            </section>
            <section id="throughput" aria-labelledby="throughput-heading">
            <h2 id="throughput-heading">Bytes sent over time</h2>
            \(throughputChart)
            </section>
            <section id="stages" aria-labelledby="stages-heading">
            <h2 id="stages-heading">Time per stage</h2>
            \(stageChart)
            </section>
            <section id="items" aria-labelledby="items-heading">
            <h2 id="items-heading">Items</h2>
            \(itemTable)
            </section>
            </main>
            <footer>Written by jwingest. Self-contained: no style, script, font or image is fetched.</footer>
            <script>\(Self.script)</script>
            </body>
            </html>

            """
    }

    /// One line under the title: how the run ended, and why it stopped when it stopped itself.
    var verdict: String {
        let (kind, text): (String, String) =
            switch summary.exitCode {
            case 0: ("ok", "every item ingested")
            case 3: ("interrupted", "interrupted: some items did not finish")
            default: ("failed", "some items failed")
            }
        var line = "<p class=\"verdict \(kind)\">exit code \(summary.exitCode): \(text)</p>"
        if let stop = summary.stop {
            line += "\n<p class=\"stop\">The run stopped itself: \(Self.escaped(stop.message))</p>"
        }
        return line
    }

    /// The counts by outcome as four tiles, then the rest of the totals as a list of terms.
    var totals: String {
        let tiles = [
            ("ingested", summary.ingested), ("unchanged", summary.unchanged), ("failed", summary.failed),
            ("interrupted", summary.interrupted),
        ]
        .map { name, count in
            "<div class=\"tile \(name)\"><span class=\"count\">\(count)</span> <span class=\"label\">\(name)</span></div>"
        }
        .joined(separator: "\n")
        let sent = bytesSentByThisRun
        var rows: [(String, String)] = [
            ("Items", "\(summary.results.count)"),
            ("Bytes sent", "\(TerminalProgress.bytes(sent)) (\(sent) bytes)"),
            ("Duration", Self.duration(summary.seconds)),
            ("Average throughput", summary.seconds > 0 ? Self.rate(Double(sent) / summary.seconds) : "–"),
            ("Manifest", Self.escaped(summary.manifest.lastPathComponent)),
            ("Endpoint", Self.escaped(summary.endpoint)),
            ("Started", Self.escaped(summary.started.formatted(ReportEncoding.dateStyle))),
            ("Exit code", "\(summary.exitCode)"),
        ]
        if let stop = summary.stop {
            rows.append(("Stopped", "\(Self.escaped(stop.reason.rawValue)): \(Self.escaped(stop.message))"))
        }
        let list = rows.map { "<div><dt>\($0.0)</dt><dd>\($0.1)</dd></div>" }.joined(separator: "\n")
        return "<div class=\"tiles\">\n\(tiles)\n</div>\n<dl class=\"facts\">\n\(list)\n</dl>"
    }

    /// Bytes of media sent by the items this run finished or stopped: an unchanged item's digest is from
    /// the earlier run that sent it.
    var bytesSentByThisRun: Int64 {
        summary.results.reduce(0) { total, result in
            if case .unchanged = result.outcome { return total }
            return total + (result.state.sent?.size ?? 0)
        }
    }

    /// The policy of the page: nothing from anywhere, but its own style and script, named by their digest.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src '\(sha256(style))'; script-src '\(sha256(script))'; img-src 'none'; "
        + "connect-src 'none'; font-src 'none'; form-action 'none'; base-uri 'none'"

    /// `sha256-BASE64` of `text`, as a Content-Security-Policy source.
    static func sha256(_ text: String) -> String {
        "sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString()
    }

    /// `seconds` for people: `0.034 s`, `4.2 s`, `2:05 (125.0 s)`.
    static func duration(_ seconds: Double) -> String {
        let shown = String(format: seconds < 1 ? "%.3f s" : "%.1f s", seconds)
        return seconds < 60 ? shown : "\(TerminalProgress.duration(seconds)) (\(shown))"
    }

    /// Bytes a second for people: `12.5 MiB/s`.
    static func rate(_ bytesPerSecond: Double) -> String {
        TerminalProgress.bytes(Int64(bytesPerSecond.rounded())) + "/s"
    }
}

extension RunSummary {
    /// The run as one self-contained HTML page (`--html FILE.html`): totals, a chart of the bytes sent over
    /// time, the time per stage and a sortable table of the items. See ``HTMLReport``.
    public var htmlReport: String { HTMLReport(summary: self).document }
}
