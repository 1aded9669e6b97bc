import Foundation

/// The package's one retry loop: every call, upload and companion upload that is tried again goes
/// through it, so that backoff, attempt caps, 429 windows and the rule that a create is repeated only
/// when it surely did not run are decided in one place.
///
/// After a failure it asks, in order:
/// 1. the caller's ``Verdict`` for the error (`fail` ends at once; `retryNow` tries again at once, as for
///    a refused upload link that has just been replaced);
/// 2. whether the error is a `429` with a `reset`: then it waits for the window to renew (plus up to
///    half a second of jitter), which does not count as an attempt, at most ``rateLimitWaits`` times;
/// 3. the ``policy``: a retryable error (``RetryableError/isRetryable``) within the attempt cap and the
///    total time is tried again after exponential backoff with full jitter.
///
/// ```swift
/// let engine = RetryEngine(policy: RetryPolicy(maxAttempts: 4))
/// let video = try await engine.run("show the video") { _ in try await client.showVideo(key: key) }
/// ```
public struct RetryEngine: Sendable {
    /// Attempts, backoff and total time.
    public var policy: RetryPolicy
    /// How many times a `429` is waited out, beyond the attempts.
    public var rateLimitWaits: Int
    /// The longest wait for a window believed (a window is a minute; a `reset` further away is not).
    public var longestRateLimitWait: Duration
    /// Told of every retry, before its wait: for events and logs.
    public var onRetry: @Sendable (Retry) -> Void
    /// How a wait is spent; `Task.sleep` by default. A stage passes one that ends early when its run stops.
    public var wait: @Sendable (Duration) async throws -> Void

    /// What the caller says of an error, before the policy is asked.
    public enum Verdict: Sendable, Hashable {
        /// Let the policy decide (and wait out a `429`).
        case usePolicy
        /// Try again at once, counting an attempt.
        case retryNow
        /// Never try again.
        case fail
    }

    /// One retry about to happen.
    public struct Retry: Sendable {
        /// What is tried, for messages: `create video`, `send intro.mp4`.
        public var what: String
        /// The attempt about to run, 1-based (a `429` wait does not add one).
        public var attempt: Int
        /// How long it waits first.
        public var delay: Duration
        /// The error that failed the previous attempt.
        public var error: any Error
        /// When a `429`'s window renews, for a rate-limit wait; `nil` for a backoff.
        public var rateLimitedUntil: Date?
        /// The route a `429` was for.
        public var route: String?
    }

    /// Creates an engine.
    public init(
        policy: RetryPolicy, rateLimitWaits: Int = 30, longestRateLimitWait: Duration = .seconds(65),
        onRetry: @escaping @Sendable (Retry) -> Void = { _ in },
        wait: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.policy = policy
        self.rateLimitWaits = rateLimitWaits
        self.longestRateLimitWait = longestRateLimitWait
        self.onRetry = onRetry
        self.wait = wait
    }

    /// The default verdict: the policy decides every error.
    public static let policyDecides: @Sendable (any Error) -> Verdict = { _ in .usePolicy }

    /// A verdict for calls that create something: repeated only when the platform surely did not run the
    /// previous attempt (``APIClient/surelyNotExecuted(_:)``), since a lost answer may hide a created asset.
    public static let onlyWhenSurelyNotRun: @Sendable (any Error) -> Verdict = { error in
        APIClient.surelyNotExecuted(error) ? .usePolicy : .fail
    }

    /// Runs `operation` until it succeeds or an error is final.
    ///
    /// - Parameters:
    ///   - what: What is tried, for ``Retry/what``.
    ///   - verdict: The caller's say on each error (``Verdict/usePolicy`` by default).
    ///   - operation: One attempt; `attempt` is 1-based.
    /// - Returns: The first successful attempt's result.
    /// - Throws: The last error, once it is final.
    public func run<Result: Sendable>(
        _ what: String, verdict: @Sendable (any Error) -> Verdict = RetryEngine.policyDecides,
        _ operation: (_ attempt: Int) async throws -> Result
    ) async throws -> Result {
        let started = ContinuousClock.now
        var attempt = 1
        var rateLimitWaitsLeft = rateLimitWaits
        var generator = SystemRandomNumberGenerator()
        while true {
            do {
                return try await operation(attempt)
            } catch {
                let said = verdict(error)
                if said == .fail { throw error }
                let elapsed = ContinuousClock.now - started
                if said == .usePolicy, let refusal = error as? APIError, refusal.code == .rateLimitExceeded,
                    rateLimitWaitsLeft > 0
                {
                    let reset = refusal.rateLimit?.reset ?? Date().addingTimeInterval(1)
                    // A reset far away (or hostile) is not believed: the wait is capped before it is converted.
                    let longest = Double(longestRateLimitWait.components.seconds)
                    let untilReset = min(
                        longest, max(0, reset.timeIntervalSinceNow.isFinite ? reset.timeIntervalSinceNow : longest))
                    let delay =
                        Duration.milliseconds(Int64(untilReset * 1000))
                        + .milliseconds(Int64.random(in: 0...500, using: &generator))
                    guard elapsed + delay < policy.maxTotal else { throw error }
                    rateLimitWaitsLeft -= 1
                    onRetry(
                        Retry(
                            what: what, attempt: attempt, delay: delay, error: error, rateLimitedUntil: reset,
                            route: refusal.call))
                    try await wait(delay)
                    continue
                }
                guard attempt < policy.maxAttempts, elapsed < policy.maxTotal else { throw error }
                let delay: Duration
                switch said {
                case .retryNow:
                    delay = .zero
                default:
                    guard policy.shouldRetry(error, attempt: attempt, elapsed: elapsed) else { throw error }
                    delay = policy.delay(after: attempt, using: &generator)
                }
                attempt += 1
                onRetry(
                    Retry(what: what, attempt: attempt, delay: delay, error: error, rateLimitedUntil: nil, route: nil))
                if delay > .zero { try await wait(min(delay, max(.zero, policy.maxTotal - elapsed))) }
            }
        }
    }
}
