import Foundation

/// What the sandbox answered on one route: how many calls ran, how many were refused for the rate limit
/// (429), and when the first and last call that ran arrived. Read by tests and benchmarks that count the
/// 429s of a fleet of workers and the rate of their creates.
public struct CallTally: Sendable, Hashable, Codable {
    /// Calls that ran (whatever their answer, but not refused for the rate limit).
    public var answered: Int = 0
    /// Calls refused with 429 because the route's window was used up.
    public var rateLimited: Int = 0
    /// When the first call that ran arrived.
    public var first: Date?
    /// When the last call that ran arrived.
    public var last: Date?
    /// The calls that ran in each of the route's rate-limit windows, by the window's end (seconds since
    /// 1970, as text): a full window holds exactly the limit when the callers keep pace with it.
    public var windows: [String: Int] = [:]

    /// The rate of the calls that ran, per minute, between the first and the last; `nil` under two calls.
    public var perMinute: Double? {
        guard answered > 1, let first, let last, last > first else { return nil }
        return Double(answered - 1) / last.timeIntervalSince(first) * 60
    }

    mutating func count(refused: Bool, at date: Date, window: Int64) {
        if refused {
            rateLimited += 1
            return
        }
        answered += 1
        windows[String(window), default: 0] += 1
        if first == nil { first = date }
        last = date
    }
}
