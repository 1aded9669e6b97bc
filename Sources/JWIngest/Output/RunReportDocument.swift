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
        /// The item's manifest id.
        public var id: String
        /// `ingested`, `unchanged`, `failed` or `interrupted`.
        public var outcome: String
        /// `video`, `image` or `skin`.
        public var kind: String
        /// The file's path, or the fetched URL (secrets redacted).
        public var source: String
        /// The asset's key, when it has one.
        public var key: String?
        /// Seconds spent, to the millisecond.
        public var seconds: Double
        /// MD5 and size computed while sending.
        public var sent: FileDigest?
        /// MD5 and size the server reported.
        public var received: FileDigest?
        /// Whether the two matched.
        public var verified: Bool
        /// How many times the file was sent.
        public var uploads: Int
        /// Whether the thumbnail was sent and accepted.
        public var thumbnail: Bool
        /// How many tracks were sent and accepted.
        public var tracks: Int
        /// Each stage that ran, with its time.
        public var stages: [StageTime]
        /// Why it failed, for a failed item.
        public var error: ErrorReport?
        /// The last stage finished, for an interrupted item.
        public var lastStage: String?
    }

    /// A stage's time.
    public struct StageTime: Codable, Sendable, Hashable {
        /// The stage.
        public var stage: String
        /// Seconds spent, to the millisecond.
        public var seconds: Double
    }

    /// A failed item's error.
    public struct ErrorReport: Codable, Sendable, Hashable {
        /// What kind of failure.
        public var code: IngestError.Code
        /// The stage.
        public var stage: String
        /// What went wrong and what to do.
        public var message: String
        /// What was expected, for a comparison.
        public var expected: String?
        /// What was seen instead.
        public var seen: String?
        /// Whether a later run may succeed.
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
