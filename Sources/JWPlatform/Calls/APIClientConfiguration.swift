import Foundation

/// How an ``APIClient`` reaches the platform.
public struct APIClientConfiguration: Sendable {
    /// The API's base URL without `/v1`; default `https://api.jwplatform.com`.
    public var endpoint: String
    /// The `api_format` asked for on every call.
    public var format: AnswerFormatName
    /// The formats the client can read; ``format`` must be one of them.
    public var formats: AnswerFormatRegistry
    /// The https rule for the endpoint and for upload links.
    public var security: TransportSecurity
    /// How long one request may take, answer included.
    public var requestTimeout: Duration
    /// The largest answer body read, in bytes.
    public var maxAnswerBytes: Int
    /// How failed calls are retried; each attempt is signed anew.
    public var retry: RetryPolicy
    /// Paces calls by the platform's rate limits, shared by every client that holds it; `nil` for none.
    public var pacer: (any CallPacer)?

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
    }

    /// The endpoint with the https rule applied and no trailing slash.
    ///
    /// - Throws: ``EndpointError`` when it is not an `http(s)://host[:port][/path]` URL, or is plain `http`
    ///   to a host that is not on loopback without ``TransportSecurity/allowsPlainHTTP``.
    public func resolvedEndpoint() throws -> String {
        guard let components = URLComponents(string: endpoint), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil
        else {
            throw EndpointError(endpoint: endpoint, reason: "is not an http(s)://host[:port] URL")
        }
        if scheme == "http" && !security.allowsPlainHTTP && !TransportSecurity.isLoopback(address: host) {
            throw EndpointError(
                endpoint: endpoint,
                reason: "is plain http to a host that is not on loopback; use https, or allow plain http explicitly")
        }
        var text = endpoint
        while text.hasSuffix("/") { text.removeLast() }
        return text
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
