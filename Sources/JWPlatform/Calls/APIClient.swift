import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A client of the v1 Management API: signs every call, sends it, reads the answer in the configured
/// format and turns error answers into typed errors.
///
/// ```swift
/// let client = APIClient(credentials: try APICredentials.fromEnvironment()!)
/// let video = try await client.showVideo(key: "tL17msiU")
/// ```
///
/// Each attempt of a call is signed anew (fresh timestamp and nonce): the platform refuses a signature it
/// has seen. Calls that fail with a retryable error are retried by ``APIClientConfiguration/retry``.
public struct APIClient: Sendable {
    /// The signer, holding the credentials.
    public var signer: APISigner
    /// Where and how calls go.
    public var configuration: APIClientConfiguration
    /// The HTTP client that sends the requests.
    public var httpClient: HTTPClient

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - credentials: The account's key and secret.
    ///   - configuration: Endpoint, format, limits and retry policy.
    ///   - httpClient: The HTTP client; ``JWPlatformHTTPClient/shared`` by default.
    public init(
        credentials: APICredentials, configuration: APIClientConfiguration = APIClientConfiguration(),
        httpClient: HTTPClient = JWPlatformHTTPClient.shared
    ) {
        self.init(signer: APISigner(credentials: credentials), configuration: configuration, httpClient: httpClient)
    }

    /// Creates a client with a signer of your own (a fixed clock or nonce for tests).
    public init(
        signer: APISigner, configuration: APIClientConfiguration, httpClient: HTTPClient = JWPlatformHTTPClient.shared
    ) {
        self.signer = signer
        self.configuration = configuration
        self.httpClient = httpClient
    }

    /// The HTTP method of a call.
    public enum Method: Sendable, Hashable {
        /// Parameters in the query string.
        case get
        /// Parameters form-encoded in the body.
        case post
    }

    /// Sends one call, retrying retryable failures, and returns its decoded answer.
    ///
    /// - Parameters:
    ///   - call: The call's name as the API documents it, e.g. `/videos/show`; `/v1` is added.
    ///   - parameters: The call's own parameters; the `api_` ones are added when signing.
    ///   - method: GET (default) or POST.
    /// - Returns: The answer of the first attempt that succeeded.
    /// - Throws: ``APIError`` for an error answer, ``UnreadableAnswerError`` for a body not in the asked
    ///   format, ``APITransportError`` when no answer came, ``EndpointError`` or ``UnknownAnswerFormatError``
    ///   for a bad configuration.
    public func call(_ call: String, parameters: APIParameters = [:], method: Method = .get) async throws -> APIAnswer {
        let name = try Self.callName(call)
        // A call that creates something may have run even when its answer was lost; repeating it could make
        // a second asset. Such calls are sent again only when the platform surely did not run them.
        let verdict: @Sendable (any Error) -> RetryEngine.Verdict =
            name.hasSuffix("/create") ? RetryEngine.onlyWhenSurelyNotRun : RetryEngine.policyDecides
        let client = self
        // A 429 is waited out at most as many times as the policy retries.
        let engine = RetryEngine(policy: configuration.retry, rateLimitWaits: configuration.retry.maxAttempts - 1)
        let answer: APIAnswer = try await engine.run(name, verdict: verdict) {
            _ in try await client.paced(name, parameters: parameters, method: method)
        }
        return answer
    }

    /// One attempt of a call, paced: waits for the route's window, sends, and tells the pacer the
    /// `rate_limit` block of the answer or refusal.
    private func paced(_ name: String, parameters: APIParameters, method: Method) async throws -> APIAnswer {
        let pacer = configuration.pacer
        do {
            try await pacer?.beforeCall(name)
            let answer = try await send(name, parameters: parameters, method: method)
            if let rateLimit = answer.rateLimit { await pacer?.record(name, rateLimit) }
            return answer
        } catch {
            if let rateLimit = (error as? APIError)?.rateLimit { await pacer?.record(name, rateLimit) }
            throw error
        }
    }

    /// Whether `error` proves that the platform did not run the call: a 429 or a 503 `CallUnavailable`
    /// (the platform says it refused the call), or a connection that could not be made. A call that creates
    /// something may be repeated only then: after a lost answer or a 500 it may have run.
    public static func surelyNotExecuted(_ error: any Error) -> Bool {
        if let apiError = error as? APIError {
            return apiError.code == .rateLimitExceeded || apiError.code == .callUnavailable
        }
        if let transport = error as? APITransportError { return transport.beforeSending }
        return false
    }

    /// Sends one attempt of a call, signed now.
    func send(_ call: String, parameters: APIParameters, method: Method) async throws -> APIAnswer {
        let format = try configuration.formats.format(named: configuration.format)
        let base = try configuration.resolvedEndpoint()
        let signed = signer.sign(parameters, format: configuration.format).encodedQuery
        var headers = HTTPHeaders()
        let url: String
        var body: ByteBuffer?
        switch method {
        case .get:
            url = base + "/v1" + call + "?" + signed
        case .post:
            url = base + "/v1" + call
            headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            body = ByteBuffer(string: signed)
        }
        headers.add(name: "User-Agent", value: "jwingest/\(JWPlatformVersion.current)")
        headers.add(name: "Accept", value: "*/*")
        let answer = try await HTTPExchange.sendWhole(
            url: url, method: method == .get ? .GET : .POST, headers: headers, body: body, with: httpClient,
            timeout: configuration.requestTimeout, maxAnswerBytes: configuration.maxAnswerBytes, call: call,
            answerFormat: format.name)
        return try APIAnswer(call: call, httpStatus: answer.status, body: answer.body, format: format)
    }

    /// Whether the HTTP client failed before it could send anything: refused or timed-out connections.
    static func isConnectionFailure(_ error: any Error) -> Bool {
        if error is NIOConnectionError { return true }
        if let clientError = error as? HTTPClientError {
            return clientError == .connectTimeout || clientError == .socksHandshakeTimeout
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError { return true }
        if let ioError = error as? IOError { return ioError.errnoCode == ECONNREFUSED }
        return false
    }

    /// `/videos/show`, `videos/show` and `/v1/videos/show` all name the call `/videos/show`.
    ///
    /// - Throws: ``CallNameError`` for a name with characters other than letters, digits and `/ _ . -`.
    static func callName(_ call: String) throws -> String {
        var name = call.hasPrefix("/") ? call : "/" + call
        if name.hasPrefix("/v1/") { name.removeFirst(3) }
        let allowed = name.utf8.allSatisfy { PercentEncoding.isUnreserved($0) || $0 == UInt8(ascii: "/") }
        // On UTF-8 bytes: Foundation's `contains` bridges to NSString, a measurable cost on every call.
        let bytes = name.utf8
        guard allowed, bytes.count > 1, bytes.firstRange(ofBytes: "//".utf8) == nil,
            bytes.firstRange(ofBytes: "/../".utf8) == nil
        else {
            throw CallNameError(call: call)
        }
        return name
    }
}

/// A call name that is not a path of the API, such as `/videos/show?x` or `/videos show`.
public struct CallNameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name given.
    public var call: String

    /// The text shown in messages and logs.
    public var description: String {
        "\(call.debugDescription) is not a call name such as /videos/show (letters, digits, / _ . - only)"
    }
}

/// The version of this package, sent in the `User-Agent` header.
public enum JWPlatformVersion {
    /// The version text.
    public static let current = "0.1.0"
}
