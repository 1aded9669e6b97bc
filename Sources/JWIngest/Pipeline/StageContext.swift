import Foundation
import JWPlatform

/// What a stage gets besides the item's state: the item, the API client, the run's options, its own
/// pipeline entry, and ways to report events and to retry.
public struct StageContext: Sendable {
    /// The item as the manifest gives it.
    public let item: IngestItem
    /// The client of the platform (or of the sandbox).
    public let client: APIClient
    /// The run's options.
    public let options: ManifestOptions
    /// The stage's entry in the pipeline, with its options.
    public let step: PipelineStep
    let sink: @Sendable (IngestEvent.Kind) -> Void
    let stopping: @Sendable () -> Bool
    let saver: @Sendable (ItemState) async throws -> Void

    /// Creates a context (the runner does; tests and custom runners may).
    ///
    /// - Parameters:
    ///   - sink: Receives the stage's events.
    ///   - isStopping: Whether the run is being stopped; long waits end early when it says so.
    ///   - checkpoint: Writes an item's state to the journal.
    public init(
        item: IngestItem, client: APIClient, options: ManifestOptions, step: PipelineStep,
        sink: @escaping @Sendable (IngestEvent.Kind) -> Void = { _ in },
        isStopping: @escaping @Sendable () -> Bool = { false },
        checkpoint: @escaping @Sendable (ItemState) async throws -> Void = { _ in }
    ) {
        self.item = item
        self.client = client
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
    public func failure(
        _ message: String, expected: String? = nil, seen: String? = nil, retryable: Bool = false
    ) -> IngestError {
        IngestError(
            itemID: item.id, stage: step.name, message: message, expected: expected, seen: seen,
            isRetryable: retryable)
    }

    /// Runs `operation`, trying again after a retryable error (5xx, 429, a lost connection) up to the
    /// manifest's `retries`, waiting with exponential backoff and full jitter; a 429 waits for its window to
    /// renew instead and does not count as an attempt. Each attempt is a new call, signed anew.
    ///
    /// - Parameters:
    ///   - what: What is tried, for events.
    ///   - shouldRetry: A further veto, e.g. for calls that may have run although their answer was lost.
    ///   - operation: The step; `attempt` is 1-based.
    public func retrying<Result: Sendable>(
        _ what: String, shouldRetry: @Sendable (any Error) -> Bool = { _ in true },
        _ operation: @Sendable (_ attempt: Int) async throws -> Result
    ) async throws -> Result {
        var retry = RetryState()
        while true {
            do {
                return try await operation(retry.attempt)
            } catch {
                guard shouldRetry(error) || Self.isRateLimit(error),
                    try await pauseBeforeRetry(what, after: error, state: &retry)
                else { throw error }
            }
        }
    }

    /// Where a sequence of attempts stands.
    public struct RetryState: Sendable {
        /// The attempt about to run, 1-based.
        public internal(set) var attempt = 1
        var rateLimitWaits = 0
        let started = ContinuousClock.now

        /// A fresh sequence.
        public init() {}
    }

    /// Decides whether `error` deserves another attempt and, if so, reports it and waits: until the window
    /// renews after a 429 (not counted as an attempt, at most 30 times), else with exponential backoff
    /// and full jitter while attempts are left of the manifest's `retries`.
    ///
    /// - Returns: `true` after waiting when another attempt should run; `false` when the error is final.
    public func pauseBeforeRetry(_ what: String, after error: any Error, state: inout RetryState) async throws -> Bool {
        var generator = SystemRandomNumberGenerator()
        if let apiError = error as? APIError, apiError.code == .rateLimitExceeded, state.rateLimitWaits < 30 {
            let reset = apiError.rateLimit?.reset ?? Date().addingTimeInterval(1)
            // A window is a minute; a reset further away than that is not believed.
            let wait = min(65, max(0, reset.timeIntervalSinceNow)) + Double.random(in: 0...0.5, using: &generator)
            emit(.rateLimited(item: item.id, stage: step.name, route: apiError.call, until: reset))
            try await pause(seconds: wait)
            state.rateLimitWaits += 1
            return true
        }
        // The manifest's `retries` is the limit; an upload may take hours, so there is no cap on total time.
        let policy = RetryPolicy(maxAttempts: options.retries + 1, maxTotal: .seconds(366 * 24 * 3600))
        guard policy.shouldRetry(error, attempt: state.attempt, elapsed: ContinuousClock.now - state.started) else {
            return false
        }
        let delay = policy.delay(after: state.attempt, using: &generator)
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) * 1e-18
        state.attempt += 1
        emit(
            .retry(item: item.id, stage: step.name, attempt: state.attempt, delay: seconds, reason: "\(what): \(error)")
        )
        try await pause(seconds: seconds)
        return true
    }

    static func isRateLimit(_ error: any Error) -> Bool {
        (error as? APIError)?.code == .rateLimitExceeded
    }
}
