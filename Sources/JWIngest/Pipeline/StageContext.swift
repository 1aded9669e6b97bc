import Foundation
import JWPlatform

/// What a stage gets besides the item's state: the item, the API client, the run's options, its own
/// pipeline entry, and ways to report events and to retry.
public struct StageContext: Sendable {
    /// The item as the manifest gives it.
    public let item: IngestItem
    /// The client of the platform (or of the sandbox).
    public let client: APIClient
    /// The v2 client, when the run speaks v2 (`options.api: v2`): the built-in stages then call it, not
    /// ``client``.
    public let v2: V2Client?
    /// The run's options.
    public let options: ManifestOptions
    /// The stage's entry in the pipeline, with its options.
    public let step: PipelineStep
    let sink: @Sendable (IngestEvent.Kind) -> Void
    let stopping: @Sendable () -> Bool
    let saver: @Sendable (ItemState) async throws -> Void
    let retryPolicy: RetryPolicy?

    /// Creates a context (the runner does; tests and custom runners may).
    ///
    /// - Parameters:
    ///   - item: The item.
    ///   - client: The client of the platform.
    ///   - options: The run's options.
    ///   - step: The stage's pipeline entry.
    ///   - sink: Receives the stage's events.
    ///   - isStopping: Whether the run is being stopped; long waits end early when it says so.
    ///   - retryPolicy: The backoff of retries; `nil` for the manifest's `retries` and the default backoff.
    ///   - checkpoint: Writes an item's state to the journal.
    ///   - v2: The v2 client of a run that speaks v2.
    public init(
        item: IngestItem, client: APIClient, v2: V2Client? = nil, options: ManifestOptions, step: PipelineStep,
        sink: @escaping @Sendable (IngestEvent.Kind) -> Void = { _ in },
        isStopping: @escaping @Sendable () -> Bool = { false }, retryPolicy: RetryPolicy? = nil,
        checkpoint: @escaping @Sendable (ItemState) async throws -> Void = { _ in }
    ) {
        self.retryPolicy = retryPolicy
        self.item = item
        self.client = client
        self.v2 = v2
        self.options = options
        self.step = step
        self.sink = sink
        self.stopping = isStopping
        self.saver = checkpoint
    }

    /// Writes `state` to the run's journal now, before a call whose answer must not be lost (a create):
    /// the runner writes after every stage, a stage calls this within itself.
    ///
    /// - Throws: ``JournalError`` when it cannot be written; do not go on to the network then.
    public func checkpoint(_ state: ItemState) async throws {
        try await saver(state)
    }

    /// Whether the run is being stopped (SIGINT/SIGTERM): a stage in a long wait should give up with
    /// ``IngestInterruption`` so that the run can end in time.
    public var isStopping: Bool { stopping() || Task.isCancelled }

    /// Sleeps for `seconds`, waking early to throw ``IngestInterruption`` when the run is being stopped.
    public func pause(seconds: Double) async throws {
        let end = ContinuousClock.now + .milliseconds(Int64(max(0, seconds) * 1000))
        while ContinuousClock.now < end {
            if isStopping { throw IngestInterruption(itemID: item.id, stage: step.name) }
            try await Task.sleep(for: min(.milliseconds(250), end - ContinuousClock.now))
        }
        if isStopping { throw IngestInterruption(itemID: item.id, stage: step.name) }
    }

    /// Reports an event to the run's observers.
    public func emit(_ kind: IngestEvent.Kind) { sink(kind) }

    /// An ``IngestError`` for this item and stage.
    ///
    /// - Parameters:
    ///   - message: What went wrong and what to do.
    ///   - expected: What was expected, for a comparison.
    ///   - seen: What was seen instead.
    ///   - retryable: Whether a later attempt may succeed.
    ///   - code: What kind of failure (``IngestError/Code/stageFailed`` by default).
    public func failure(
        _ message: String, expected: String? = nil, seen: String? = nil, retryable: Bool = false,
        code: IngestError.Code = .stageFailed
    ) -> IngestError {
        IngestError(
            itemID: item.id, stage: step.name, message: message, expected: expected, seen: seen,
            isRetryable: retryable, code: code)
    }

    /// The run's retry engine for this stage: the manifest's `retries` as further attempts, no cap on
    /// total time (an upload may take hours), waits that end early when the run stops, and every retry and
    /// rate-limit wait reported as an event of this item and stage.
    public var retryEngine: RetryEngine {
        let (item, stage, sink) = (self.item.id, step.name, self.sink)
        let context = self
        return RetryEngine(
            policy: retryPolicy ?? RetryPolicy(maxAttempts: options.retries + 1, maxTotal: .seconds(366 * 24 * 3600)),
            onRetry: { retry in
                if let until = retry.rateLimitedUntil {
                    sink(.rateLimited(item: item, stage: stage, route: retry.route ?? retry.what, until: until))
                } else {
                    sink(
                        .retry(
                            item: item, stage: stage, attempt: retry.attempt, delay: Self.seconds(retry.delay),
                            reason: "\(retry.what): \(retry.error)"))
                }
            },
            wait: { try await context.pause(seconds: Self.seconds($0)) })
    }

    /// Runs `operation` through the run's ``retryEngine``: a retryable error (5xx, a lost connection) is
    /// tried again after exponential backoff with full jitter, up to the manifest's `retries`; a 429 waits
    /// for its window to renew and does not count as an attempt. Each attempt is a new call, signed anew.
    ///
    /// - Parameters:
    ///   - what: What is tried, for events.
    ///   - verdict: The caller's say on each error first, e.g. `RetryEngine.onlyWhenSurelyNotRun` for a
    ///     call that creates something.
    ///   - operation: The step; `attempt` is 1-based.
    public func retrying<Result: Sendable>(
        _ what: String, verdict: @Sendable (any Error) -> RetryEngine.Verdict = RetryEngine.policyDecides,
        _ operation: (_ attempt: Int) async throws -> Result
    ) async throws -> Result {
        try await retryEngine.run(what, verdict: verdict, operation)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
