/// Paces calls by what the platform says of its limits: asked before each call (it may wait) and told
/// after each answer. One pacer shared by every worker of a process keeps them all within a route's
/// window instead of each finding the limit with a 429.
public protocol CallPacer: Sendable {
    /// Waits, when the route's window is used up, until it renews.
    ///
    /// - Parameter call: The call's name, e.g. `/videos/create`: each route has its own window.
    /// - Throws: `CancellationError` when the waiting task is cancelled.
    func beforeCall(_ call: String) async throws

    /// Records the `rate_limit` block of an answer (or of a 429 refusal).
    func record(_ call: String, _ rateLimit: RateLimit) async
}
