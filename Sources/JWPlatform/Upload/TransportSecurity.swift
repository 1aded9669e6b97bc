/// The https rule (API.md §3, a decision): links that say `http` are sent over `https`, which the platform
/// accepts, unless the host is on loopback (the sandbox) or plain HTTP is allowed explicitly.
public struct TransportSecurity: Sendable, Hashable {
    /// Whether `http` links and endpoints are kept as they are for every host.
    public var allowsPlainHTTP: Bool

    /// Creates a rule.
    public init(allowsPlainHTTP: Bool = false) {
        self.allowsPlainHTTP = allowsPlainHTTP
    }

    /// `https` everywhere but loopback.
    public static let strict = TransportSecurity()
    /// Plain `http` kept where a link or endpoint says it (`--allow-plain-http`).
    public static let allowingPlainHTTP = TransportSecurity(allowsPlainHTTP: true)

    /// The scheme to use for a link or endpoint that says `scheme` for the host in `address`.
    public func scheme(_ scheme: String, address: String) -> String {
        let scheme = scheme.lowercased()
        guard scheme == "http" else { return scheme }
        return allowsPlainHTTP || Self.isLoopback(address: address) ? "http" : "https"
    }

    /// Whether `address` (a host with an optional port) names this machine: `localhost`, `127.0.0.0/8`, `::1`.
    public static func isLoopback(address: String) -> Bool {
        let host = hostPart(of: address).lowercased()
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }

    /// The host of `address` without port or IPv6 brackets.
    static func hostPart(of address: String) -> Substring {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            return address[address.index(after: address.startIndex)..<close]
        }
        if address.filter({ $0 == ":" }).count == 1, let colon = address.firstIndex(of: ":") {
            return address[..<colon]
        }
        return address[...]
    }
}
