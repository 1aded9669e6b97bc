import Crypto
import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

@testable import JWIngest

/// The HTML report (`--html FILE`): one page that fetches nothing, escapes what manifests and servers wrote,
/// and shows the totals, the charts and every item; and `jwingest report --html` from a journal.
@Suite("HTML report")
struct HTMLReportTests {
    static let hostileID = "<script>alert('id')</script>"
    static let hostileError = "</td></tr><script>alert(\"error\")</script><img src=\"https://evil.example/x.png\">"

    /// A run of four items, one of each outcome, started 10 s before `started + 10`.
    static func summary() -> RunSummary {
        let started = Date(timeIntervalSince1970: 1_800_000_000)
        func item(_ id: String, title: String? = nil) -> IngestItem {
            IngestItem(
                id: id, source: .file(URL(fileURLWithPath: "/media/\(id).mp4")),
                metadata: VideoMetadata(title: title))
        }
        var ingested = ItemState(itemID: "intro")
        ingested.mediaKey = "AbCd1234"
        ingested.sent = FileDigest(md5: "0123456789abcdef0123456789abcdef", size: 3 * 1_048_576)
        ingested.received = ingested.sent
        ingested.verified = true
        var failed = ItemState(itemID: hostileID)
        failed.mediaKey = "Fail5678"
        failed.sent = FileDigest(md5: "ffffffffffffffffffffffffffffffff", size: 1_048_576)
        failed.received = FileDigest(md5: "00000000000000000000000000000000", size: 1_048_576)
        var unchanged = ItemState(itemID: "logo")
        unchanged.mediaKey = "Logo0001"
        unchanged.sent = FileDigest(md5: "11111111111111111111111111111111", size: 5 * 1_048_576)
        let error = IngestError(
            itemID: hostileID, stage: "verify", message: hostileError, expected: "md5 ffff…", seen: "md5 0000…",
            code: .digestMismatch)
        let results = [
            ItemResult(
                item: item("intro", title: "\"Intro\" & <b>bold</b>"), outcome: .ingested(key: "AbCd1234"),
                state: ingested,
                stageTimes: [.init(stage: "create", seconds: 0.5), .init(stage: "upload", seconds: 4)],
                seconds: 4.5, finishedAt: started.addingTimeInterval(6)),
            ItemResult(
                item: item(hostileID), outcome: .failed(error), state: failed,
                stageTimes: [
                    .init(stage: "create", seconds: 0.25), .init(stage: "upload", seconds: 2),
                    .init(stage: "verify", seconds: 1),
                ],
                seconds: 3.25, finishedAt: started.addingTimeInterval(3.5)),
            ItemResult(
                item: item("logo"), outcome: .unchanged(key: "Logo0001"), state: unchanged, stageTimes: [],
                seconds: 0, finishedAt: started),
            ItemResult(
                item: item("night-train"), outcome: .interrupted(lastStage: "create"),
                state: ItemState(itemID: "night-train"), stageTimes: [.init(stage: "create", seconds: 0.75)],
                seconds: 0.75, finishedAt: started.addingTimeInterval(10)),
        ]
        return RunSummary(
            manifest: URL(fileURLWithPath: "/jobs/nightly.yaml"), endpoint: "http://127.0.0.1:8080", started: started,
            seconds: 10, results: results, stop: nil)
    }

    @Test("every outcome: totals, escaped hostile text, one row per item failures first, both charts, no fetch")
    func everyOutcome() throws {
        let html = Self.summary().htmlReport
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.hasSuffix("</html>\n"))
        try Self.expectSelfContained(html)

        // Totals: one of each outcome, 4 MiB sent by this run (the unchanged logo's 5 MiB went earlier).
        for outcome in ["ingested", "unchanged", "failed", "interrupted"] {
            #expect(html.contains("<span class=\"count\">1</span> <span class=\"label\">\(outcome)</span>"))
        }
        #expect(html.contains("<dt>Bytes sent</dt><dd>4.0 MiB (4194304 bytes)</dd>"))
        #expect(html.contains("<dt>Duration</dt><dd>10.0 s</dd>"))
        #expect(html.contains("<dt>Average throughput</dt><dd>409.6 KiB/s</dd>"))
        #expect(html.contains("<dt>Manifest</dt><dd>nightly.yaml</dd>"))
        #expect(html.contains("<dt>Endpoint</dt><dd>http://127.0.0.1:8080</dd>"))
        #expect(html.contains("<dt>Started</dt><dd>2027-01-15T08:00:00.000Z</dd>"))
        #expect(html.contains("<dt>Exit code</dt><dd>3</dd>"))

        // Hostile text only ever escaped.
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>bold"))
        #expect(html.contains("&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;"))
        #expect(html.contains("&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;alert(&quot;error&quot;)&lt;/script&gt;"))
        #expect(html.contains("&quot;Intro&quot; &amp; &lt;b&gt;bold&lt;/b&gt;"))

        // One row per item, failures first, then interrupted, ingested, unchanged.
        let body = try #require(html.range(of: "<tbody>")).upperBound
        let rows = html[body...].components(separatedBy: "<tr class=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(rows == ["failed", "interrupted", "ingested", "unchanged"])
        #expect(html.contains("<code>AbCd1234</code>"))
        #expect(html.contains("<code class=\"mismatch\">ffffffffffffffffffffffffffffffff</code>"))
        #expect(html.contains("[digestMismatch] verify: "))
        #expect(html.contains("interrupted after create"))
        #expect(html.contains(">4.500 s</td>"))
        #expect(html.contains("data-sort=\"0.000\">–</td>"))
        #expect(html.contains("aria-sort=\"ascending\">Outcome</th>"))

        // The charts: the cumulative bytes (2 steps, in MiB) and the three stages.
        #expect(html.components(separatedBy: "<svg class=\"chart\"").count == 3)
        #expect(html.contains("MiB sent (cumulative)"))
        #expect(html.components(separatedBy: "<circle class=\"point").count == 3)
        #expect(html.contains("<circle class=\"point failed\""))
        for stage in ["create", "upload", "verify"] { #expect(html.contains("\">\(stage)</text>")) }
        #expect(html.contains("1.500 s total · 0.500 s mean · 3 items"))
    }

    /// No `<link>`, no script or image from elsewhere, no address in `src`, `href`, `url(…)` or `@import`;
    /// one inline script; a Content-Security-Policy naming exactly the page's own style and script.
    static func expectSelfContained(_ html: String) throws {
        let lower = html.lowercased()
        for fetch in ["<link", "<script src", "<img", "<iframe", "<object", "<embed", "@import", "url(", "srcset"] {
            #expect(!lower.contains(fetch), "\(fetch)")
        }
        #expect(lower.range(of: #"(src|href)\s*=\s*["']?\s*(https?:)?//"#, options: .regularExpression) == nil)
        // No tag has a src or href attribute at all (the hostile error has one, escaped: text, or the quoted
        // value of a data-sort attribute).
        let attribute = #"<[a-z][a-z0-9]*(\s+[a-z-]+(\s*=\s*"[^"]*")?)*\s+(src|href)\s*="#
        #expect(lower.range(of: attribute, options: .regularExpression) == nil)
        #expect(lower.components(separatedBy: "<script").count == 2)
        let style = try #require(Self.between("<style>", "</style>", in: html))
        let script = try #require(Self.between("<script>", "</script>", in: html))
        #expect(html.contains("style-src '\(Self.sha256(style))'"))
        #expect(html.contains("script-src '\(Self.sha256(script))'"))
        #expect(html.contains("default-src 'none'"))
    }

    static func between(_ start: String, _ end: String, in text: String) -> String? {
        guard let open = text.range(of: start), let close = text.range(of: end, range: open.upperBound..<text.endIndex)
        else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }

    static func sha256(_ text: String) -> String {
        "sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString()
    }

    @Test(
        "text from manifests and servers is escaped in content and attributes",
        arguments: [
            ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
            ("a & b", "a &amp; b"),
            ("\" onmouseover='x'", "&quot; onmouseover=&#39;x&#39;"),
            ("bell\u{07}nul\u{00}", "bell\u{FFFD}nul\u{FFFD}"),
            ("tab\tline\n", "tab\tline\n"),
            ("Français ▲", "Français ▲"),
        ])
    func escaping(text: String, expected: String) {
        #expect(HTMLReport.escaped(text) == expected)
    }

    @Test(
        "axes end on a round number above the data",
        arguments: [
            (10.0, 10.0, 0), (7.3, 8.0, 0), (0.42, 0.5, 1), (3.0, 3.0, 0), (123.0, 125.0, 0), (11.0, 12.5, 1),
            (0.0, 1.0, 0),
        ])
    func axis(value: Double, maximum: Double, decimals: Int) {
        let axis = HTMLReport.Axis(upTo: value)
        #expect(abs(axis.maximum - maximum) < 1e-9)
        #expect(axis.ticks.first == 0 && abs((axis.ticks.last ?? 0) - maximum) < 1e-9)
        #expect((2...8).contains(axis.ticks.count))
        #expect(axis.decimals == decimals)
        #expect(axis.label(maximum) == String(format: "%.\(decimals)f", maximum))
    }

    @Test("no media sent and no stage times: notes instead of charts, still a whole page")
    func emptyRun() throws {
        var summary = Self.summary()
        summary.results = summary.results.map { result in
            var result = result
            result.state.sent = nil
            result.stageTimes = []
            return result
        }
        summary.stop = RunStop(reason: .accountRefused, message: "the platform refused the key <k>")
        let html = summary.htmlReport
        try Self.expectSelfContained(html)
        #expect(!html.contains("<svg"))
        #expect(html.contains("No media was sent in this run"))
        #expect(html.contains("No stage times"))
        #expect(html.contains("The run stopped itself: the platform refused the key &lt;k&gt;"))
        #expect(html.contains("<dt>Exit code</dt><dd>1</dd>"))
    }

    @Test("rebuilt from a journal: each item finished at its entry's last update, an unknown one at the start")
    func journalFinishTimes() throws {
        let manifest = try Manifest.load(from: IngestFixtures.manifests.appendingPathComponent("demo.yaml"))
        let first = Date(timeIntervalSince1970: 1_800_000_000)
        var entries: [String: JournalEntry] = [:]
        for (offset, item) in manifest.items.prefix(2).enumerated() {
            var state = ItemState(itemID: item.id)
            state.mediaKey = "Key\(offset)"
            state.sent = FileDigest(md5: String(repeating: "a", count: 32), size: 1_048_576)
            entries[item.id] = JournalEntry(
                itemID: item.id, status: .ingested, fingerprint: ItemFingerprint(of: item), mediaKey: "Key\(offset)",
                encodedState: try JSONEncoder().encode(state), lastError: nil,
                updatedAt: first.addingTimeInterval(Double(offset) * 4))
        }
        let summary = RunSummary(journalOf: manifest, entries: entries, endpoint: "http://127.0.0.1:1")
        #expect(summary.started == first)
        #expect(summary.results.map(\.finishedAt) == [first, first.addingTimeInterval(4), first, first])
        let html = summary.htmlReport
        #expect(html.components(separatedBy: "<circle class=\"point").count == 3)
        #expect(html.contains("2.0 MiB sent by 2 items in 4.0 s, 512.0 KiB/s on average"))
    }

    @Test("jwingest report --html writes the demo run from its journal: every item, self-contained, no secret")
    func reportCommand() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-html")
        defer { try? FileManager.default.removeItem(at: folder) }
        let demo = IngestFixtures.manifests.appendingPathComponent("demo.yaml")
        let journal = folder.appendingPathComponent("journal.sqlite").path
        let page = folder.appendingPathComponent("report.html")
        let (run, report, secret) = try await Sandbox.withSandbox { sandbox in
            let environment = RunCommandTests.environment(sandbox)
            let run = try await ChildProcess.run(
                ChildProcess.jwingest,
                ["run", demo.path, "--endpoint", sandbox.endpoint, "--journal", journal, "--no-progress"],
                environment: environment)
            let report = try await ChildProcess.run(
                ChildProcess.jwingest,
                ["report", demo.path, "--endpoint", sandbox.endpoint, "--journal", journal, "--html", page.path],
                environment: environment, timeout: .seconds(60))
            return (run, report, sandbox.credentials.secret.withRevealedText { $0 })
        }
        #expect(run.status == 0, "\(run.standardOutput)\n\(run.standardError)")
        #expect(report.status == 0, "\(report.standardOutput)\n\(report.standardError)")
        #expect(report.standardOutput.contains("4 items: 4 ingested, 0 failed, 0 not finished"))
        let html = try String(contentsOf: page, encoding: .utf8)
        try Self.expectSelfContained(html)
        for id in ["intro", "harbour", "night-train", "logo"] {
            #expect(html.contains("<code>\(id)</code>"), "\(id)")
        }
        #expect(html.components(separatedBy: "<tr class=\"ingested\">").count == 5)
        #expect(html.contains("<dt>Manifest</dt><dd>demo.yaml</dd>"))
        #expect(html.contains("MiB sent (cumulative)") || html.contains("KiB sent (cumulative)"))
        #expect(html.contains("No stage times"))
        // Every item sent a file (the logo too), each placed at its last journal update.
        #expect(html.components(separatedBy: "<circle class=\"point").count == 5)
        #expect(!html.contains(secret))
        #expect(html.range(of: "token=|Signature=", options: .regularExpression) == nil)

        let none = try await ChildProcess.run(ChildProcess.jwingest, ["report", demo.path])
        #expect(none.status == 64 || none.status == 2, "\(none.status)")
        #expect(none.standardError.contains("give --report FILE, --junit FILE, --html FILE or any of them"))
    }
}
