import Foundation
import JWPlatform
import Logging

/// Logs a run's events through swift-log, each with the item id and stage as metadata (`item`,
/// `stage`): failures at `error`, retries at `warning`, rate-limit waits at `notice`, items and the run at
/// `info`, stages at `debug`, bytes at `trace`. Texts pass through JWPlatform's `Redaction` first, so no
/// level ever shows a secret.
///
/// ```swift
/// configuration.observers.append(IngestLogging(logger: Logger(label: "jwingest")))
/// ```
public struct IngestLogging: IngestObserver {
    /// The logger the events go to.
    public var logger: Logger

    /// Creates the observer.
    public init(logger: Logger) { self.logger = logger }

    /// Logs one event.
    public func observe(_ event: IngestEvent) async {
        let (level, message, metadata) = Self.entry(event.kind)
        guard logger.logLevel <= level else { return }
        logger.log(level: level, "\(Redaction.redact(bodyText: message))", metadata: metadata)
    }

    static func entry(_ kind: IngestEvent.Kind) -> (Logger.Level, String, Logger.Metadata) {
        func meta(_ item: String, _ stage: String? = nil) -> Logger.Metadata {
            var metadata: Logger.Metadata = ["item": .string(item)]
            if let stage { metadata["stage"] = .string(stage) }
            return metadata
        }
        switch kind {
        case .runStarted(let items, let endpoint):
            return (.info, "run started: \(items) items into \(endpoint)", [:])
        case .remoteChecked(let items, let found, let pages):
            return (.info, "remote check: \(found) of \(items) items found in \(pages) pages", [:])
        case .itemStarted(let item):
            return (.info, "item started", meta(item))
        case .stageStarted(let item, let stage):
            return (.debug, "stage started", meta(item, stage))
        case .stageFinished(let item, let stage, let seconds):
            var metadata = meta(item, stage)
            metadata["seconds"] = .string(String(format: "%.3f", seconds))
            return (.debug, "stage finished", metadata)
        case .bytesSent(let item, let sent, let total):
            var metadata = meta(item)
            metadata["sent"] = .stringConvertible(sent)
            metadata["total"] = .stringConvertible(total)
            return (.trace, "bytes sent", metadata)
        case .retry(let item, let stage, let attempt, let delay, let reason):
            var metadata = meta(item, stage)
            metadata["attempt"] = .stringConvertible(attempt)
            metadata["delay"] = .string(String(format: "%.3f", delay))
            return (.warning, "retry: \(reason)", metadata)
        case .rateLimited(let item, let stage, let route, let until):
            var metadata = meta(item, stage)
            metadata["route"] = .string(route)
            metadata["until"] = .string(ISO8601DateFormatter().string(from: until))
            return (.notice, "rate limited on \(route)", metadata)
        case .itemFinished(let item, let outcome):
            var metadata = meta(item)
            metadata["outcome"] = .string(outcome.name)
            if case .failed(let error) = outcome {
                metadata["stage"] = .string(error.stage)
                return (.error, "item failed: \(error.message)", metadata)
            }
            return (.info, "item \(outcome)", metadata)
        case .itemAbandoned(let item, let reason):
            return (.warning, "item given back: \(reason)", meta(item))
        case .runFinished(let ingested, let unchanged, let failed, let interrupted, let seconds):
            return (
                .info,
                "run finished in \(String(format: "%.1f", seconds)) s: \(ingested) ingested, \(unchanged) unchanged, "
                    + "\(failed) failed, \(interrupted) interrupted", [:]
            )
        }
    }
}
