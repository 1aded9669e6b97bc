import Foundation

extension IngestEvent {
    /// The event as one line of JSON (NDJSON): `{"time":…,"event":"stageFinished","item":…,…}`.
    public var jsonLine: String {
        var pairs: [(String, String?)] = [("time", JSONText.date(time))]
        func add(_ key: String, _ value: String?) { pairs.append((key, value)) }
        switch kind {
        case .runStarted(let items, let endpoint):
            add("event", JSONText.string("runStarted"))
            add("items", String(items))
            add("endpoint", JSONText.string(endpoint))
        case .remoteChecked(let items, let found, let pages):
            add("event", JSONText.string("remoteChecked"))
            add("items", String(items))
            add("found", String(found))
            add("pages", String(pages))
        case .itemStarted(let item):
            add("event", JSONText.string("itemStarted"))
            add("item", JSONText.string(item))
        case .stageStarted(let item, let stage):
            add("event", JSONText.string("stageStarted"))
            add("item", JSONText.string(item))
            add("stage", JSONText.string(stage))
        case .stageFinished(let item, let stage, let seconds):
            add("event", JSONText.string("stageFinished"))
            add("item", JSONText.string(item))
            add("stage", JSONText.string(stage))
            add("seconds", JSONText.number(seconds))
        case .bytesSent(let item, let sent, let total):
            add("event", JSONText.string("bytesSent"))
            add("item", JSONText.string(item))
            add("sent", String(sent))
            add("total", String(total))
        case .retry(let item, let stage, let attempt, let delay, let reason):
            add("event", JSONText.string("retry"))
            add("item", JSONText.string(item))
            add("stage", JSONText.string(stage))
            add("attempt", String(attempt))
            add("delay", JSONText.number(delay))
            add("reason", JSONText.string(reason))
        case .rateLimited(let item, let stage, let route, let until):
            add("event", JSONText.string("rateLimited"))
            add("item", JSONText.string(item))
            add("stage", JSONText.string(stage))
            add("route", JSONText.string(route))
            add("until", JSONText.date(until))
        case .itemFinished(let item, let outcome):
            add("event", JSONText.string("itemFinished"))
            add("item", JSONText.string(item))
            add("outcome", JSONText.string(outcome.name))
            switch outcome {
            case .ingested(let key), .unchanged(let key): add("key", key.map(JSONText.string))
            case .failed(let error):
                add("stage", JSONText.string(error.stage))
                add("error", JSONText.string(error.message))
            case .interrupted(let stage): add("lastStage", stage.map(JSONText.string))
            }
        case .runFinished(let ingested, let unchanged, let failed, let interrupted, let seconds):
            add("event", JSONText.string("runFinished"))
            add("ingested", String(ingested))
            add("unchanged", String(unchanged))
            add("failed", String(failed))
            add("interrupted", String(interrupted))
            add("seconds", JSONText.number(seconds))
        }
        return JSONText.object(pairs)
    }
}

/// Writes every event as one line of JSON to a file or standard output (`--events FILE|-`).
public final class NDJSONEventLog: IngestObserver {
    private let handle: FileHandle

    /// Writes to `handle` (which the caller closes).
    public init(handle: FileHandle) { self.handle = handle }

    public func observe(_ event: IngestEvent) async {
        handle.write(Data((event.jsonLine + "\n").utf8))
    }
}
