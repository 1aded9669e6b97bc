import Foundation
import JWIngest
import JWPlatform
import Logging
import PostgresNIO

/// The platform's per-route rate-limit windows of one account, kept in the shared journal's database so
/// that every worker of the account paces by the same window: each answer's `rate_limit` block (and each
/// 429's) updates the route's row, and a call is reserved in the row before it is sent. N workers thus
/// make no more 429s than one.
///
/// When a window's reset has passed, the first reservation opens the next one, taken to hold the route's
/// limit, until the next answer says what it really holds. When the database cannot be reached, calls are
/// paced by this worker's own windows (``RouteRateLimiter``) until it can be.
public final class PostgresCallPacer: CallPacer {
    let client: PostgresClient
    let account: String
    let logger: Logger
    private let local: RouteRateLimiter
    private let onWait: @Sendable (_ call: String, _ until: Date) -> Void

    /// The longest a waiting call sleeps before it looks at its window again (an answer may have renewed it).
    static let poll: Duration = .milliseconds(500)

    /// A pacer of `account`'s windows in the database of `client`.
    ///
    /// - Parameter onWait: Told of each wait: the route and when its window renews.
    init(
        client: PostgresClient, account: String, logger: Logger,
        onWait: @escaping @Sendable (_ call: String, _ until: Date) -> Void
    ) {
        self.client = client
        self.account = account
        self.logger = logger
        self.onWait = onWait
        self.local = RouteRateLimiter(onWait: onWait)
    }

    /// Reserves a call in `call`'s shared window, waiting while the window is used up.
    public func beforeCall(_ call: String) async throws {
        var reported = false
        while true {
            let wait: Double?
            do {
                wait = try await PostgresDeadline.answered("a rate-limit window") { try await self.reserve(call) }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                try await local.beforeCall(call)
                return
            }
            guard let wait else { return }
            // Told once per call: the waits that follow are the same wait, looked at again.
            if !reported { onWait(call, Date().addingTimeInterval(wait)) }
            reported = true
            let jitter = Double.random(in: 0...0.1)
            try await Task.sleep(for: min(.milliseconds(Int64((wait + jitter) * 1000)), Self.poll))
        }
    }

    /// Records the window an answer reports: the newest window wins, and within one window the lowest count
    /// of calls left.
    public func record(_ call: String, _ rateLimit: RateLimit) async {
        await local.record(call, rateLimit)
        let reset = rateLimit.reset.timeIntervalSince1970
        _ = try? await PostgresDeadline.answered("a rate-limit window's record") {
            try await self.store(call, rateLimit, reset: reset)
        }
    }

    private func store(_ call: String, _ rateLimit: RateLimit, reset: Double) async throws {
        try await client.query(
            """
            INSERT INTO jwingest_rate_window AS w (account, route, limit_count, remaining, reset_at, provisional)
            VALUES (\(account), \(call), \(rateLimit.limit), \(rateLimit.remaining), to_timestamp(\(reset)), false)
            ON CONFLICT (account, route) DO UPDATE SET limit_count = excluded.limit_count,
                remaining = CASE WHEN w.provisional OR w.reset_at = excluded.reset_at
                    THEN least(w.remaining, excluded.remaining) ELSE excluded.remaining END,
                reset_at = excluded.reset_at, provisional = false
            WHERE excluded.reset_at > now() AND (w.provisional OR w.reset_at <= excluded.reset_at)
            """, logger: logger)
    }

    /// Takes one call from `call`'s window; `nil` when it was taken (or nothing is known of the window
    /// yet), else the seconds until the window renews.
    func reserve(_ call: String) async throws -> Double? {
        var taken = false
        for try await (_) in try await client.query(
            """
            UPDATE jwingest_rate_window AS w SET
                remaining = CASE WHEN w.reset_at <= now() THEN w.limit_count - 1 ELSE w.remaining - 1 END,
                provisional = w.provisional OR w.reset_at <= now(),
                reset_at = CASE WHEN w.reset_at <= now() THEN now() + interval '60 seconds' ELSE w.reset_at END
            WHERE account = \(account) AND route = \(call) AND (w.remaining > 0 OR w.reset_at <= now())
            RETURNING 1
            """, logger: logger
        ).decode(Int.self) {
            taken = true
        }
        if taken { return nil }
        var wait: Double?
        for try await (seconds) in try await client.query(
            """
            SELECT extract(epoch FROM reset_at - now())::float8 FROM jwingest_rate_window
            WHERE account = \(account) AND route = \(call)
            """, logger: logger
        ).decode(Double.self) {
            wait = seconds
        }
        // No row: no answer told of this route yet; the call goes, and its answer opens the window.
        return wait.map { max(0.01, min($0, 65)) }
    }
}
