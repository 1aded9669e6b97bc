import Foundation

/// A ``CallPacer`` with one window per route, fed by every `rate_limit` block (`limit`, `remaining`,
/// `reset`). When a window has nothing left, calls to that route wait until its `reset` plus a random
/// jitter of up to half a second (so that the waiting workers do not all call in the same instant), and
/// each wait is reported to `onWait`. Calls are counted down as they start, so that several workers
/// sharing a window do not overrun it between two answers.
public actor RouteRateLimiter: CallPacer {
    private struct Window {
        var remaining: Int64
        var reset: Date
    }

    private var windows: [String: Window] = [:]
    private let onWait: @Sendable (_ call: String, _ until: Date) -> Void
    private let now: @Sendable () -> Date
    private let longestWait: TimeInterval

    /// Creates a limiter.
    ///
    /// - Parameters:
    ///   - longestWait: The longest wait believed (a window is a minute; a `reset` further away is
    ///     taken as this).
    ///   - now: The clock; tests pass their own.
    ///   - onWait: Told of each wait: the route and when it ends.
    public init(
        longestWait: TimeInterval = 65, now: @escaping @Sendable () -> Date = { Date() },
        onWait: @escaping @Sendable (_ call: String, _ until: Date) -> Void = { _, _ in }
    ) {
        self.longestWait = longestWait
        self.now = now
        self.onWait = onWait
    }

    /// Waits, when `call`'s window is used up, until it renews; then counts the call.
    public func beforeCall(_ call: String) async throws {
        while let window = windows[call], window.remaining <= 0 {
            let wait = min(longestWait, window.reset.timeIntervalSince(now()))
            guard wait > 0 else {
                // The window renewed; the next answer says how much the new one holds.
                windows[call] = nil
                break
            }
            let jitter = Double.random(in: 0...0.5)
            onWait(call, window.reset)
            try await Task.sleep(for: .milliseconds(Int64((wait + jitter) * 1000)))
            if let current = windows[call], current.reset <= window.reset { windows[call] = nil }
        }
        windows[call]?.remaining -= 1
    }

    /// Keeps the newest window of `call` that an answer reports.
    public func record(_ call: String, _ rateLimit: RateLimit) {
        // Answers can arrive out of order: keep the newest window, and the lowest count within it.
        if let window = windows[call], window.reset == rateLimit.reset {
            windows[call]?.remaining = min(window.remaining, rateLimit.remaining)
        } else if windows[call].map({ $0.reset < rateLimit.reset }) ?? true {
            windows[call] = Window(remaining: rateLimit.remaining, reset: rateLimit.reset)
        }
    }

    /// What the limiter knows of `call`'s window: calls left and when it renews.
    public func window(for call: String) -> (remaining: Int64, reset: Date)? {
        windows[call].map { ($0.remaining, $0.reset) }
    }
}
