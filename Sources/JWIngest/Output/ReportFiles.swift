import Foundation

extension RunSummary {
    /// Writes the JSON report to `json`, the JUnit XML to `junit` and the HTML page to `html`, where given,
    /// each file replaced whole (written aside, then renamed). A report not asked for is not rendered.
    ///
    /// - Parameters:
    ///   - json: Where to write ``jsonReport`` (`--report FILE.json`), or `nil`.
    ///   - junit: Where to write ``junitReport`` (`--junit FILE.xml`), or `nil`.
    ///   - html: Where to write ``htmlReport``, a self-contained page (`--html FILE.html`), or `nil`.
    /// - Throws: ``ReportWriteError`` naming the file that cannot be written.
    public func writeReports(json: URL? = nil, junit: URL? = nil, html: URL? = nil) throws {
        let reports: [(URL?, () -> String)] = [
            (json, { jsonReport }), (junit, { junitReport }), (html, { htmlReport }),
        ]
        for (url, render) in reports {
            guard let url else { continue }
            let text = render()
            do {
                try Data(text.utf8).write(to: url, options: .atomic)
            } catch {
                throw ReportWriteError(path: url.path, reason: error.localizedDescription)
            }
        }
    }
}

/// A report file cannot be written.
public struct ReportWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// Why.
    public var reason: String

    /// The text shown in messages and logs.
    public var description: String { "cannot write \(path): \(reason)" }
}
