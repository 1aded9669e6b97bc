import Foundation

extension IngestEvent: Encodable {
    private enum Key: String, CodingKey {
        case time, event, items, endpoint, found, pages, item, stage, seconds, sent, total, attempt, delay, reason
        case route, until, outcome, key, code, error, lastStage, ingested, unchanged, failed, interrupted
    }

    /// The event as one JSON object: its time, its name under `event`, and its members
    /// (`{"time":…,"event":"stageFinished","item":…,"stage":…,"seconds":…}`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(time, forKey: .time)
        switch kind {
        case .runStarted(let items, let endpoint):
            try container.encode("runStarted", forKey: .event)
            try container.encode(items, forKey: .items)
            try container.encode(endpoint, forKey: .endpoint)
        case .remoteChecked(let items, let found, let pages):
            try container.encode("remoteChecked", forKey: .event)
            try container.encode(items, forKey: .items)
            try container.encode(found, forKey: .found)
            try container.encode(pages, forKey: .pages)
        case .itemStarted(let item):
            try container.encode("itemStarted", forKey: .event)
            try container.encode(item, forKey: .item)
        case .stageStarted(let item, let stage):
            try container.encode("stageStarted", forKey: .event)
            try container.encode(item, forKey: .item)
            try container.encode(stage, forKey: .stage)
        case .stageFinished(let item, let stage, let seconds):
            try container.encode("stageFinished", forKey: .event)
            try container.encode(item, forKey: .item)
            try container.encode(stage, forKey: .stage)
            try container.encode(ReportEncoding.milliseconds(seconds), forKey: .seconds)
        case .bytesSent(let item, let sent, let total):
            try container.encode("bytesSent", forKey: .event)
            try container.encode(item, forKey: .item)
            try container.encode(sent, forKey: .sent)
            try container.encode(total, forKey: .total)
        case .retry(let item, let stage, let attempt, let delay, let reason):
            try container.encode("retry", forKey: .event)
            try container.encode(item, forKey: .item)
            try container.encode(stage, forKey: .stage)
            try container.encode(attempt, forKey: .attempt)
            try container.encode(ReportEncoding.milliseconds(delay), forKey: .delay)
            try container.encode(reason, forKey: .reason)
        case .rateLimited(let item, let stage, let route, let until):
            try container.encode("rateLimited", forKey: .event)
            try container.encode(item, forKey: .item)
            try container.encode(stage, forKey: .stage)
            try container.encode(route, forKey: .route)
            try container.encode(until, forKey: .until)
        case .itemFinished(let item, let outcome):
            try container.encode("itemFinished", forKey: .event)
            try container.encode(item, forKey: .item)
            try container.encode(outcome.name, forKey: .outcome)
            switch outcome {
            case .ingested(let key), .unchanged(let key):
                try container.encodeIfPresent(key, forKey: .key)
            case .failed(let error):
                try container.encode(error.stage, forKey: .stage)
                try container.encode(error.code, forKey: .code)
                try container.encode(error.message, forKey: .error)
            case .interrupted(let stage):
                try container.encodeIfPresent(stage, forKey: .lastStage)
            }
        case .itemAbandoned(let item, let reason):
            try container.encode("itemAbandoned", forKey: .event)
            try container.encode(item, forKey: .item)
            try container.encode(reason, forKey: .reason)
        case .runFinished(let ingested, let unchanged, let failed, let interrupted, let seconds):
            try container.encode("runFinished", forKey: .event)
            try container.encode(ingested, forKey: .ingested)
            try container.encode(unchanged, forKey: .unchanged)
            try container.encode(failed, forKey: .failed)
            try container.encode(interrupted, forKey: .interrupted)
            try container.encode(ReportEncoding.milliseconds(seconds), forKey: .seconds)
        }
    }

    /// The event as one line of JSON (NDJSON).
    public var jsonLine: String { ReportEncoding.json(self) }
}

/// Writes every event as one line of JSON to a file or standard output (`--events FILE|-`).
public final class NDJSONEventLog: IngestObserver {
    private let handle: FileHandle

    /// Writes to `handle` (which the caller closes).
    public init(handle: FileHandle) { self.handle = handle }

    /// Handles one event.
    public func observe(_ event: IngestEvent) async {
        handle.write(Data((event.jsonLine + "\n").utf8))
    }
}
