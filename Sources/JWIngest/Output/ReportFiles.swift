import Foundation

extension RunSummary {
    /// Writes the JSON report to `json` and the JUnit XML to `junit`, where given, each file replaced
    /// whole (written aside, then renamed).
    ///
    /// - Throws: ``ReportWriteError`` naming the file that cannot be written.
    public func writeReports(json: URL? = nil, junit: URL? = nil) throws {
        for (url, text) in [(json, jsonReport), (junit, junitReport)] {
            guard let url else { continue }
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
