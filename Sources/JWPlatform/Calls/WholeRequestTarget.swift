import NIOCore

/// Where a whole-body request goes, split from its URL: `http` or `https`, host, port, and the path with its
/// query as the request line carries it.
///
/// Only the plain form the clients build is taken: no user info, no fragment, no percent sign in the host.
/// For anything else ``init(url:)`` gives nil and the request goes through AsyncHTTPClient, which parses
/// every form.
struct WholeRequestTarget: Sendable {
    /// A connection's address and security: requests to the same one share idle connections.
    struct Origin: Hashable, Sendable {
        var secure: Bool
        /// The host as it is connected to: a name, or an IP address without brackets.
        var host: String
        var port: Int

        /// The host's socket address when the host is an IP address, nil for a name. An address is
        /// connected to without a name lookup and is never sent as a TLS server name.
        var address: SocketAddress? { try? SocketAddress(ipAddress: host, port: port) }
    }

    var origin: Origin
    /// The path and query, `/` when the URL has none.
    var path: String

    /// Splits `url`, or nil when it is not of the plain form. Works on the UTF-8 bytes: this runs for every
    /// call, and `Character`-wise scanning cost 2 % of a small item's CPU (issue 14).
    init?(url: String) {
        let bytes = url.utf8
        let secure: Bool
        if bytes.starts(with: "http://".utf8) {
            secure = false
        } else if bytes.starts(with: "https://".utf8) {
            secure = true
        } else {
            return nil
        }
        guard !bytes.contains(UInt8(ascii: "#")) else { return nil }
        let authorityStart = bytes.index(bytes.startIndex, offsetBy: secure ? 8 : 7)
        let rest = bytes[authorityStart...]
        let pathStart = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        let authority = rest[..<pathStart]
        guard !authority.isEmpty, !authority.contains(UInt8(ascii: "@")), !authority.contains(UInt8(ascii: "%"))
        else { return nil }
        let host: Substring.UTF8View
        let portBytes: Substring.UTF8View?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.first == UInt8(ascii: ":") else { return nil }
            portBytes = after.isEmpty ? nil : after.dropFirst()
        } else if let colon = authority.firstIndex(of: UInt8(ascii: ":")) {
            host = authority[..<colon]
            portBytes = authority[authority.index(after: colon)...]
        } else {
            host = authority
            portBytes = nil
        }
        var port = secure ? 443 : 80
        if let portBytes {
            guard let value = Self.port(portBytes) else { return nil }
            port = value
        }
        guard !host.isEmpty else { return nil }
        origin = Origin(secure: secure, host: String(Substring(host)), port: port)
        let path = rest[pathStart...]
        if path.isEmpty {
            self.path = "/"
        } else if path.first == UInt8(ascii: "?") {
            self.path = "/" + String(Substring(path))
        } else {
            self.path = String(Substring(path))
        }
    }

    /// The port of decimal digits `bytes`, from 1 to 65,535.
    private static func port(_ bytes: Substring.UTF8View) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 5 else { return nil }
        var value = 0
        for byte in bytes {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return (1...65_535).contains(value) ? value : nil
    }

    /// The `Host` header: the host, in brackets when it is an IPv6 address, and the port when it is not the
    /// scheme's own.
    var hostHeader: String {
        let host = origin.host.contains(":") ? "[\(origin.host)]" : origin.host
        return origin.port == (origin.secure ? 443 : 80) ? host : "\(host):\(origin.port)"
    }
}
