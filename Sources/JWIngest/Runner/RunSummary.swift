import Foundation

/// How one item's run went.
public struct ItemResult: Sendable, Hashable {
    /// The item.
    public var item: IngestItem
    /// How it ended.
    public var outcome: ItemOutcome
    /// What the run learned about it.
    public var state: ItemState
    /// Each stage that ran, with its time in seconds.
    public var stageTimes: [StageTime]
    /// The time from its first stage to its end, in seconds.
    public var seconds: Double
    /// When it finished: the moment this result was made (the runner makes it as the item ends), or, for
    /// a summary rebuilt from a journal, the item's last journal update. The HTML report's throughput
    /// chart places each item's bytes at this time.
    public var finishedAt: Date = Date()

    /// A stage's name and how long it took.
    public struct StageTime: Sendable, Hashable {
        /// The stage.
        public var stage: String
        /// Seconds.
        public var seconds: Double
    }
}

/// The end of a run: each item's result and the totals.
public struct RunSummary: Sendable, Hashable {
    /// The manifest that was run.
    public var manifest: URL
    /// Where it was run.
    public var endpoint: String
    /// When the run started.
    public var started: Date
    /// Its duration in seconds.
    public var seconds: Double
    /// Every item in manifest order; items never started count as interrupted.
    public var results: [ItemResult]
    /// Why the run stopped starting items, when it stopped itself (a refused account, too many failures);
    /// `nil` when it ran to its end or was interrupted by a signal.
    public var stop: RunStop?

    /// Items ingested.
    public var ingested: Int { results.filter { $0.outcome.name == "ingested" }.count }
    /// Items an earlier run ingested, unchanged since.
    public var unchanged: Int { results.filter { $0.outcome.name == "unchanged" }.count }
    /// Items failed.
    public var failed: Int { results.filter { $0.outcome.name == "failed" }.count }
    /// Items stopped or never started because the run was interrupted.
    public var interrupted: Int { results.filter { $0.outcome.name == "interrupted" }.count }
    /// Bytes of media sent.
    public var bytesSent: Int64 { results.reduce(0) { $0 + ($1.state.sent?.size ?? 0) } }

    /// The process exit code: 0 all ingested (now or before), 1 some failed (or the run stopped itself
    /// on failures), 3 interrupted, 4 the time budget was spent with items left (run again to continue;
    /// failures are in the report).
    public var exitCode: Int32 {
        if stop?.reason == .budgetReached { return interrupted > 0 ? 4 : (failed > 0 ? 1 : 0) }
        if stop != nil { return 1 }
        if interrupted > 0 { return 3 }
        return failed > 0 ? 1 : 0
    }
}
