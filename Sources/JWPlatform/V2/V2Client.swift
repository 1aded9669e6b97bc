import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A client of the v2 Management API: `Authorization: Bearer <secret>` on every call, JSON bodies, the v2
/// error shape (`{"errors":[{"code","description"}]}`) read into ``APIError``, and retries, `429` waits and
/// pacing through the one ``RetryEngine`` and the configuration's ``CallPacer``.
///
/// ```swift
/// let client = V2Client(credentials: try V2Credentials.fromEnvironment()!)
/// let page = try await client.call(.get, "/v2/sites/{site_id}/media/", query: [("page_length", "5")])
/// ```
///
/// Paths may say `{site_id}`; it is replaced by the credentials' site id.
public struct V2Client: Sendable {
    /// The site id and the Bearer secret.
    public var credentials: V2Credentials
    /// Where and how calls go; its ``APIClientConfiguration/format`` is ignored (v2 speaks JSON).
    public var configuration: APIClientConfiguration
    /// The HTTP client that sends the requests.
    public var httpClient: HTTPClient

    /// The platform's v2 endpoint.
    public static let defaultEndpoint = "https://api.jwplayer.com"

    /// Creates a client; the configuration's endpoint is the v2 one unless it names another.
    public init(
        credentials: V2Credentials,
        configuration: APIClientConfiguration = APIClientConfiguration(endpoint: V2Client.defaultEndpoint),
        httpClient: HTTPClient = JWPlatformHTTPClient.shared
    ) {
        self.credentials = credentials
        self.configuration = configuration
        self.httpClient = httpClient
    }

    /// The HTTP method of a v2 call.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case patch = "PATCH"
        case delete = "DELETE"
    }

    /// Sends one call, retrying retryable failures, and returns its decoded answer.
    ///
    /// A `POST` to a collection creates something: it is sent again only when the platform surely did not
    /// run it (a `429`, or no connection), since a lost answer may hide a created media.
    ///
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: The path from `/v2/`, e.g. `/v2/sites/{site_id}/media/`; `{site_id}` is filled in.
    ///   - query: Query parameters (`page`, `page_length`, `q`, `sort`), in order.
    ///   - body: A JSON body, for POST, PUT and PATCH.
    ///   - bearer: The Bearer token to send instead of the secret (a multipart upload's `upload_token`).
    /// - Returns: The answer (an empty object for a `204`).
    /// - Throws: ``APIError`` for an error answer, ``UnreadableAnswerError`` for a body that is not JSON,
    ///   ``APITransportError`` when no answer came, ``EndpointError`` or ``CallNameError`` for a bad path
    ///   or endpoint.
    public func call(
        _ method: Method, _ path: String, query: [(String, String)] = [], body: APIValue? = nil,
        bearer: APISecret? = nil
    ) async throws -> APIAnswer {
        let resolved = try V2Route.resolve(path, siteID: credentials.siteID)
        let route = V2Route.name(method: method.rawValue, path: resolved, siteID: credentials.siteID)
        let creates = method == .post && resolved.hasSuffix("/")
        let verdict: @Sendable (any Error) -> RetryEngine.Verdict =
            creates ? RetryEngine.onlyWhenSurelyNotRun : RetryEngine.policyDecides
        let engine = RetryEngine(policy: configuration.retry, rateLimitWaits: configuration.retry.maxAttempts - 1)
        let client = self
        let encodedBody = try body.map { try JSONAnswerFormat().encode($0) }
        return try await engine.run(route, verdict: verdict) { _ in
            try await client.paced(
                route, method: method, path: resolved, query: query, body: encodedBody, bearer: bearer)
        }
    }

    /// One attempt, paced by the route's window.
    private func paced(
        _ route: String, method: Method, path: String, query: [(String, String)], body: [UInt8]?,
        bearer: APISecret?
    ) async throws -> APIAnswer {
        let pacer = configuration.pacer
        do {
            try await pacer?.beforeCall(route)
            let answer = try await send(route, method: method, path: path, query: query, body: body, bearer: bearer)
            if let rateLimit = answer.rateLimit { await pacer?.record(route, rateLimit) }
            return answer
        } catch {
            if let rateLimit = (error as? APIError)?.rateLimit { await pacer?.record(route, rateLimit) }
            throw error
        }
    }

    /// Sends one attempt.
    func send(
        _ route: String, method: Method, path: String, query: [(String, String)], body: [UInt8]?, bearer: APISecret?
    ) async throws -> APIAnswer {
        let base = try configuration.resolvedEndpoint()
        var url = base + path
        if !query.isEmpty {
            url +=
                "?"
                + query.map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }
                .joined(separator: "&")
        }
        var headers = HTTPHeaders()
        (bearer ?? credentials.secret).withRevealedText {
            headers.add(name: "Authorization", value: "Bearer \($0)")
        }
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: "jwingest/\(JWPlatformVersion.current)")
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        let answer = try await HTTPExchange.sendWhole(
            url: url, method: HTTPMethod(rawValue: method.rawValue), headers: headers,
            body: body.map { ByteBuffer(bytes: $0) }, with: httpClient, timeout: configuration.requestTimeout,
            maxAnswerBytes: configuration.maxAnswerBytes, call: route, answerFormat: .json)
        return try V2Answer.read(route: route, httpStatus: answer.status, headers: answer.headers, body: answer.body)
    }
}
