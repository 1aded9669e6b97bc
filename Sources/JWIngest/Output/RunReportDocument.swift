import Foundation
import JWPlatform

/// The JSON report of a run (`--report FILE.json`), as a value: totals, then per item its outcome, asset
/// key, the file's digest as sent and as received, stage times and error. No secrets: links and tokens
/// are not in it.
public struct RunReportDocument: Codable, Sendable, Hashable {
    /// The manifest's path.
    public var manifest: String
    /// Where the run went (a password in it redacted).
    public var endpoint: String
    /// When it started.
    public var started: Date
    /// How long it took, in seconds.
    public var seconds: Double
    /// Items in the manifest.
    public var items: Int
    /// Items ingested by this run.
    public var ingested: Int
    /// Items an earlier run ingested, unchanged since.
    public var unchanged: Int
    /// Items failed.
    public var failed: Int
    /// Items stopped or never started.
    public var interrupted: Int
    /// Bytes of media sent.
    public var bytesSent: Int64
    /// The exit code of `jwingest run`.
    public var exitCode: Int32
    /// Why the run stopped itself, when it did.
    public var stopped: String?
    /// Every item, in manifest order.
    public var results: [Item]

    /// One item's line of the report.
    public struct Item: Codable, Sendable, Hashable {
        public var id: String
        public var outcome: String
        public var kind: String
        public var source: String
        public var key: String?
        public var seconds: Double
        public var sent: FileDigest?
        public var received: FileDigest?
        public var verified: Bool
        public var uploads: Int
        public var thumbnail: Bool
        public var tracks: Int
        public var stages: [StageTime]
        public var error: ErrorReport?
        public var lastStage: String?
    }

    /// A stage's time.
    public struct StageTime: Codable, Sendable, Hashable {
        public var stage: String
        public var seconds: Double
    }

    /// A failed item's error.
    public struct ErrorReport: Codable, Sendable, Hashable {
        public var code: IngestError.Code
        public var stage: String
        public var message: String
        public var expected: String?
        public var seen: String?
        public var retryable: Bool
    }
}

extension RunSummary {
    /// The report as a value.
    public var reportDocument: RunReportDocument {
        RunReportDocument(
            manifest: manifest.path, endpoint: endpoint, started: started,
            seconds: ReportEncoding.milliseconds(seconds),
            items: results.count,
            ingested: ingested, unchanged: unchanged, failed: failed, interrupted: interrupted, bytesSent: bytesSent,
            exitCode: exitCode, stopped: stop?.message,
            results: results.map { result in
                var error: RunReportDocument.ErrorReport?
                var lastStage: String?
                switch result.outcome {
                case .failed(let failure):
                    error = RunReportDocument.ErrorReport(
                        code: failure.code, stage: failure.stage, message: failure.message, expected: failure.expected,
                        seen: failure.seen, retryable: failure.isRetryable)
                case .interrupted(let stage):
                    lastStage = stage
                case .ingested, .unchanged:
                    break
                }
                return RunReportDocument.Item(
                    id: result.item.id, outcome: result.outcome.name, kind: result.item.kind.rawValue,
                    source: result.item.source.description, key: result.state.mediaKey,
                    seconds: ReportEncoding.milliseconds(result.seconds),
                    sent: result.state.sent, received: result.state.received, verified: result.state.verified,
                    uploads: result.state.uploads, thumbnail: result.state.thumbnailDone,
                    tracks: result.state.tracksUploaded.count,
                    stages: result.stageTimes.map {
                        RunReportDocument.StageTime(stage: $0.stage, seconds: ReportEncoding.milliseconds($0.seconds))
                    },
                    error: error, lastStage: lastStage)
            })
    }

    /// The report as JSON text (`--report FILE.json`).
    public var jsonReport: String { ReportEncoding.json(reportDocument) + "\n" }
}
