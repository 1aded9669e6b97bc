import Foundation
import JWPlatform
import Synchronization

/// How a sandbox runs: where it listens, which credentials it accepts, where it keeps files, how strict
/// its limits are and which faults it injects.
public struct SandboxConfiguration: Sendable {
    /// The address to listen on; loopback by default.
    public var host: String
    /// The port; 0 picks a free one.
    public var port: Int
    /// Where uploaded files are kept; `nil` makes a temporary folder that is removed when the sandbox stops.
    public var dataDirectory: URL?
    /// The key and secret the sandbox accepts.
    public var credentials: APICredentials
    /// The site id and v2 API secret the sandbox accepts on its v2 Management API (`/v2/…`): every v2 call
    /// needs `Authorization: Bearer <secret>`, and paths name this site id.
    public var v2Credentials: V2Credentials
    /// Per-route call limits.
    public var rateLimits: RateLimitSettings
    /// Faults to inject.
    public var faults: FaultPlan
    /// How long an upload token stays valid (7 days on the platform).
    public var tokenLifetime: TimeInterval
    /// How long after an upload a video stays `processing` before it is `ready`.
    public var processingTime: TimeInterval
    /// The shortest media duration accepted (2 s on the platform).
    public var minimumDuration: Double
    /// The clock; tests pass one they can move forward to age tokens and timestamps.
    public var clock: SandboxClock
    /// A connection that sends no byte for this long while no request is being answered is closed
    /// (30 s by default), so that idle or stalled clients cannot hold connections open.
    public var idleTimeout: Duration
    /// The certificate and key to serve HTTPS with; `nil` (the default) for plain HTTP. Links then say
    /// `https` too.
    public var tls: SandboxTLS?

    /// Whether ``host`` is a loopback address, reachable from this machine only. Bound beyond loopback,
    /// the sandbox keeps its `/_sandbox/` inspection behind the API key and secret.
    public var isLoopbackOnly: Bool { TransportSecurity.isLoopback(address: host) }

    /// Whether ``host`` is a wildcard (`0.0.0.0`, `::`): links then carry the address each client used.
    var isWildcard: Bool { ["0.0.0.0", "::", "[::]", ""].contains(host) }

    /// Creates a configuration; every member has a default.
    ///
    /// - Parameter v2Credentials: The v2 site id and secret; `nil` makes a random site id of 8 letters and
    ///   digits and a random secret, fresh for each configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 0, dataDirectory: URL? = nil,
        credentials: APICredentials = APICredentials(key: "sandbox1", secret: "sandbox-secret-not-for-production"),
        v2Credentials: V2Credentials? = nil,
        rateLimits: RateLimitSettings = RateLimitSettings(), faults: FaultPlan = .none,
        tokenLifetime: TimeInterval = 7 * 24 * 3600, processingTime: TimeInterval = 0.2, minimumDuration: Double = 2,
        clock: SandboxClock = SandboxClock(), idleTimeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.credentials = credentials
        self.v2Credentials = v2Credentials ?? Self.randomV2Credentials()
        self.rateLimits = rateLimits
        self.faults = faults
        self.tokenLifetime = tokenLifetime
        self.processingTime = processingTime
        self.minimumDuration = minimumDuration
        self.clock = clock
        self.idleTimeout = idleTimeout
    }
}

extension SandboxConfiguration {
    /// A random site id of 8 letters and digits and a random 32-character secret.
    ///
    /// - Returns: Credentials that no real property has.
    public static func randomV2Credentials() -> V2Credentials {
        V2Credentials(siteID: SandboxState.randomKey(length: 8), secret: SandboxState.randomKey(length: 32))
    }
}

/// Per-route call limits, as the platform applies them (API.md §2).
public struct RateLimitSettings: Sendable, Hashable {
    /// Whether limits apply at all (off for benchmarks).
    public var isEnabled: Bool
    /// Calls a minute per route: each v1 call, and each v2 route (method and path with ids replaced, such
    /// as `POST /v2/sites/{site_id}/media/`).
    public var perMinute: Int
    /// Calls a minute for `/videos/list`.
    public var listPerMinute: Int
    /// The length of a window, a minute on the platform. A shorter one (with limits scaled to it) lets a
    /// test meet several windows and their waits in seconds: ``perMinute`` and ``listPerMinute`` are then
    /// the calls allowed per window.
    public var window: Duration

    /// Creates settings: on, 60 a minute, 30 for `/videos/list`.
    public init(isEnabled: Bool = true, perMinute: Int = 60, listPerMinute: Int = 30, window: Duration = .seconds(60)) {
        self.isEnabled = isEnabled
        self.perMinute = perMinute
        self.listPerMinute = listPerMinute
        self.window = window
    }

    /// ``window`` in whole seconds, at least one.
    var windowSeconds: Int64 { max(1, window.components.seconds) }

    /// No limits.
    public static let off = RateLimitSettings(isEnabled: false)

    /// The limit of `call`; with limits off, a billion a minute, so that the `rate_limit` block still on
    /// every answer tells a client the truth: there is no need to wait.
    func limit(for call: String) -> Int {
        guard isEnabled else { return 1_000_000_000 }
        return call == "/videos/list" ? listPerMinute : perMinute
    }
}

/// The sandbox's clock: the real time plus an offset that tests can move forward.
public final class SandboxClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    /// Creates a clock at the real time.
    public init() {}

    /// The current time of the sandbox.
    public var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    /// Moves the clock forward by `interval` (tests age tokens and timestamps with it).
    public func advance(by interval: TimeInterval) {
        offset.withLock { $0 += interval }
    }
}
