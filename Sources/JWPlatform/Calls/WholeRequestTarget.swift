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
    }

    var origin: Origin
    /// The path and query, `/` when the URL has none.
    var path: String

    /// Splits `url`, or nil when it is not of the plain form.
    init?(url: String) {
        var rest = Substring(url)
        let secure: Bool
        if rest.hasPrefix("http://") {
            secure = false
            rest = rest.dropFirst(7)
        } else if rest.hasPrefix("https://") {
            secure = true
            rest = rest.dropFirst(8)
        } else {
            return nil
        }
        let pathStart = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<pathStart]
        guard !authority.isEmpty, !authority.contains("@"), !authority.contains("%"), !url.contains("#") else {
            return nil
        }
        let host: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { return nil }
            portText = after.isEmpty ? nil : after.dropFirst()
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
            portText = nil
        }
        var port = secure ? 443 : 80
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else { return nil }
            port = value
        }
        guard !host.isEmpty else { return nil }
        let path = rest[pathStart...]
        origin = Origin(secure: secure, host: String(host), port: port)
        self.path = path.isEmpty ? "/" : path.hasPrefix("?") ? "/" + path : String(path)
    }

    /// The `Host` header: the host, in brackets when it is an IPv6 address, and the port when it is not the
    /// scheme's own.
    var hostHeader: String {
        let host = origin.host.contains(":") ? "[\(origin.host)]" : origin.host
        return origin.port == (origin.secure ? 443 : 80) ? host : "\(host):\(origin.port)"
    }

    /// Whether the host is an IP address, which a TLS client must not send as its server name.
    var hostIsAddress: Bool {
        (try? SocketAddress(ipAddress: origin.host, port: 0)) != nil
    }
}
