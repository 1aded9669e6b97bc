import Foundation

/// How an ``APIClient`` reaches the platform.
public struct APIClientConfiguration: Sendable {
    /// The API's base URL without `/v1`; default `https://api.jwplatform.com`.
    public var endpoint: String { didSet { resolved = Self.resolve(endpoint, security) } }
    /// The `api_format` asked for on every call.
    public var format: AnswerFormatName
    /// The formats the client can read; ``format`` must be one of them.
    public var formats: AnswerFormatRegistry
    /// The https rule for the endpoint and for upload links.
    public var security: TransportSecurity { didSet { resolved = Self.resolve(endpoint, security) } }
    /// How long one request may take, answer included.
    public var requestTimeout: Duration
    /// The largest answer body read, in bytes.
    public var maxAnswerBytes: Int
    /// How failed calls are retried; each attempt is signed anew.
    public var retry: RetryPolicy
    /// Paces calls by the platform's rate limits, shared by every client that holds it; `nil` for none.
    public var pacer: (any CallPacer)?
    /// ``resolvedEndpoint()``'s answer, worked out when the endpoint or the https rule is set rather than
    /// parsed again for every call (about 1 % of a small item's CPU, issue 14).
    private var resolved: Result<String, EndpointError>

    /// The platform's endpoint.
    public static let defaultEndpoint = "https://api.jwplatform.com"

    /// Creates a configuration; every member has a default.
    public init(
        endpoint: String = APIClientConfiguration.defaultEndpoint,
        format: AnswerFormatName = .json,
        formats: AnswerFormatRegistry = .standard,
        security: TransportSecurity = .strict,
        requestTimeout: Duration = .seconds(60),
        maxAnswerBytes: Int = 16 << 20,
        retry: RetryPolicy = .standard,
        pacer: (any CallPacer)? = nil
    ) {
        self.endpoint = endpoint
        self.format = format
        self.formats = formats
        self.security = security
        self.requestTimeout = requestTimeout
        self.maxAnswerBytes = maxAnswerBytes
        self.retry = retry
        self.pacer = pacer
        resolved = Self.resolve(endpoint, security)
    }

    /// The endpoint with the https rule applied and no trailing slash.
    ///
    /// - Throws: ``EndpointError`` when it is not an `http(s)://host[:port][/path]` URL, or is plain `http`
    ///   to a host that is not on loopback without ``TransportSecurity/allowsPlainHTTP``.
    public func resolvedEndpoint() throws(EndpointError) -> String {
        try resolved.get()
    }

    private static func resolve(_ endpoint: String, _ security: TransportSecurity) -> Result<String, EndpointError> {
        guard let components = URLComponents(string: endpoint), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil
        else {
            return .failure(EndpointError(endpoint: endpoint, reason: "is not an http(s)://host[:port] URL"))
        }
        if scheme == "http" && !security.allowsPlainHTTP && !TransportSecurity.isLoopback(address: host) {
            return .failure(
                EndpointError(
                    endpoint: endpoint,
                    reason: "is plain http to a host that is not on loopback; use https, or allow plain http explicitly"
                ))
        }
        var text = endpoint
        while text.hasSuffix("/") { text.removeLast() }
        return .success(text)
    }
}

/// An endpoint that the client will not call.
public struct EndpointError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The endpoint given.
    public var endpoint: String
    /// Why it is refused.
    public var reason: String

    /// The text shown in messages and logs.
    public var description: String {
        // Never show a password written into the URL.
        var shown = URLComponents(string: endpoint)
        if shown?.password != nil { shown?.password = Redaction.placeholder }
        return "endpoint \(shown?.string ?? endpoint) \(reason)"
    }
}
