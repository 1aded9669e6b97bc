import Foundation

/// When and how long to wait before trying a failed request again: exponential backoff with full jitter,
/// capped in attempts and in total time. Only errors that are ``RetryableError`` with
/// ``RetryableError/isRetryable`` set are retried.
public struct RetryPolicy: Sendable, Hashable {
    /// The most attempts, the first included; 1 means no retry.
    public var maxAttempts: Int
    /// The backoff before the second attempt; it doubles for each one after.
    public var baseDelay: Duration
    /// The longest single wait.
    public var maxDelay: Duration
    /// No new attempt starts after this much time since the first.
    public var maxTotal: Duration

    /// Creates a policy.
    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        maxTotal: Duration = .seconds(300)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotal = maxTotal
    }

    /// Five attempts, 0.5 s doubling up to 30 s, five minutes in all.
    public static let standard = RetryPolicy()
    /// One attempt, no retry.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before attempt `attempt + 1` after `attempt` failed (1-based): a random duration between
    /// zero and `min(maxDelay, baseDelay × 2^(attempt-1))` (full jitter).
    public func delay<Generator: RandomNumberGenerator>(
        after attempt: Int, using generator: inout Generator
    )
        -> Duration
    {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let ceilingSeconds = Double(ceiling.components.seconds) + Double(ceiling.components.attoseconds) * 1e-18
        guard ceilingSeconds > 0 else { return .zero }
        return .milliseconds(Int64(Double.random(in: 0...ceilingSeconds, using: &generator) * 1000))
    }

    /// Whether `error`, after `attempt` attempts that started `elapsed` ago, should be tried again.
    public func shouldRetry(_ error: any Error, attempt: Int, elapsed: Duration) -> Bool {
        guard attempt < maxAttempts, elapsed < maxTotal else { return false }
        return (error as? any RetryableError)?.isRetryable ?? false
    }
}
