import Foundation

/// One thing that happened during a run. Every output (the progress display, the NDJSON log, the
/// reports) is fed from the one stream of these.
public struct IngestEvent: Sendable, Hashable {
    /// When it happened.
    public var time: Date
    /// What happened.
    public var kind: Kind

    /// Creates an event.
    public init(_ kind: Kind, at time: Date = Date()) {
        self.kind = kind
        self.time = time
    }

    /// What happened.
    public enum Kind: Sendable, Hashable {
        /// The run begins: how many items, against which endpoint.
        case runStarted(items: Int, endpoint: String)
        /// The platform was asked which of `items` items (whose asset the journal does not know) exist:
        /// `found` of them do, and were adopted instead of created; `pages` pages of `/videos/list` read.
        case remoteChecked(items: Int, found: Int, pages: Int)
        /// An item's first stage is about to run.
        case itemStarted(item: String)
        /// A stage is about to run for an item.
        case stageStarted(item: String, stage: String)
        /// A stage finished for an item, after `seconds`.
        case stageFinished(item: String, stage: String, seconds: Double)
        /// Bytes of the item's file sent so far, of `total`.
        case bytesSent(item: String, sent: Int64, total: Int64)
        /// A step failed and will be tried again after `delay` seconds.
        case retry(item: String, stage: String, attempt: Int, delay: Double, reason: String)
        /// A call waits for the rate-limit window of `route` to renew at `until`.
        case rateLimited(item: String, stage: String, route: String, until: Date)
        /// An item is done: ingested, failed or interrupted.
        case itemFinished(item: String, outcome: ItemOutcome)
        /// A worker of a shared journal left an item as the journal records it, for another worker (or
        /// itself, later) to resume: its checkpoint could not be written (the database was away, or the
        /// item's lease went to another worker).
        case itemAbandoned(item: String, reason: String)
        /// The run is over; `unchanged` items were ingested by an earlier run and left alone.
        case runFinished(ingested: Int, unchanged: Int, failed: Int, interrupted: Int, seconds: Double)
    }
}

/// How an item's run ended.
public enum ItemOutcome: Sendable, Hashable, CustomStringConvertible {
    /// Every stage finished; the asset's key.
    case ingested(key: String?)
    /// An earlier run ingested it and it has not changed since; the asset's key.
    case unchanged(key: String?)
    /// A stage failed the item.
    case failed(IngestError)
    /// The run was stopped (SIGINT/SIGTERM) before the item finished; it stopped after `lastStage`.
    case interrupted(lastStage: String?)

    /// The text shown in messages and logs.
    public var description: String {
        switch self {
        case .ingested(let key): return "ingested" + (key.map { " as \($0)" } ?? "")
        case .unchanged(let key): return "unchanged" + (key.map { " (\($0))" } ?? "")
        case .failed(let error): return "failed: \(error)"
        case .interrupted(let stage): return "interrupted" + (stage.map { " after \($0)" } ?? " before starting")
        }
    }

    /// `ingested`, `unchanged`, `failed` or `interrupted`.
    public var name: String {
        switch self {
        case .ingested: return "ingested"
        case .unchanged: return "unchanged"
        case .failed: return "failed"
        case .interrupted: return "interrupted"
        }
    }
}

/// Receives a run's events, in order, one at a time, a few tens of milliseconds after they happen at most
/// (they are handed over in batches).
public protocol IngestObserver: Sendable {
    /// Handles one event.
    func observe(_ event: IngestEvent) async

    /// The kinds of event this observer reads, asked once when a run starts: it receives those only, and
    /// a run does not build an event that none of its observers reads. Every kind unless the observer says
    /// otherwise.
    var observedKinds: IngestEvent.Kinds { get }
}
