import Foundation
import JWPlatform

/// How a run paces its calls by the platform's rate limits.
public struct RateLimiting: Sendable {
    enum Kind: Sendable {
        case perRoute
        case pacer(any CallPacer)
        case none
    }

    let kind: Kind

    /// One window per route, fed by every answer's `rate_limit` block and shared by all the run's items:
    /// a call waits for its route's window instead of meeting a 429 (the default). Waits are reported as
    /// `rateLimited` events of the item that waits.
    public static let perRoute = RateLimiting(kind: .perRoute)

    /// A pacer of one's own, shared with other clients of the process.
    public static func pacer(_ pacer: any CallPacer) -> RateLimiting { RateLimiting(kind: .pacer(pacer)) }

    /// No pacing: 429 answers are waited out when they come.
    public static let none = RateLimiting(kind: .none)

    /// The pacer for a run, its waits reported as events.
    func makePacer() -> (any CallPacer)? {
        switch kind {
        case .perRoute:
            let report: @Sendable (String, Date) -> Void = { IngestTaskContext.reportRateLimit(call: $0, until: $1) }
            return RouteRateLimiter(onWait: report)
        case .pacer(let pacer): return pacer
        case .none: return nil
        }
    }
}
