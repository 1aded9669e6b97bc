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
        // On UTF-8 bytes, without lower-casing or splitting into new strings: this runs for every upload
        // link (half a percent of a small item's CPU, issue 14).
        let host = hostPart(of: address)
        if host == "::1" || host.utf8.elementsEqual("localhost".utf8, by: { $0 | 0x20 == $1 }) { return true }
        let octets = host.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8(Substring($0)) != nil }) else { return false }
        return octets[0].elementsEqual("127".utf8)
    }

    /// The host of `address` without port or IPv6 brackets.
    static func hostPart(of address: String) -> Substring {
        let bytes = address.utf8
        if bytes.first == UInt8(ascii: "["), let close = bytes.firstIndex(of: UInt8(ascii: "]")) {
            return address[bytes.index(after: bytes.startIndex)..<close]
        }
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
            !bytes[bytes.index(after: colon)...].contains(UInt8(ascii: ":"))
        {
            return address[..<colon]
        }
        return address[...]
    }
}
