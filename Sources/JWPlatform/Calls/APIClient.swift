import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

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
        let name = Self.callName(call)
        let started = ContinuousClock.now
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            do {
                return try await send(name, parameters: parameters, method: method)
            } catch {
                let policy = configuration.retry
                guard policy.shouldRetry(error, attempt: attempt, elapsed: ContinuousClock.now - started) else {
                    throw error
                }
                var wait = policy.delay(after: attempt, using: &generator)
                if let apiError = error as? APIError, apiError.code == .rateLimitExceeded,
                    let reset = apiError.rateLimit?.reset
                {
                    let untilReset = Duration.milliseconds(Int64(max(0, reset.timeIntervalSinceNow) * 1000))
                    wait = min(policy.maxDelay, max(wait, untilReset))
                }
                try await Task.sleep(for: wait)
                attempt += 1
            }
        }
    }

    /// Sends one attempt of a call, signed now.
    func send(_ call: String, parameters: APIParameters, method: Method) async throws -> APIAnswer {
        let format = try configuration.formats.format(named: configuration.format)
        let base = try configuration.resolvedEndpoint()
        let signed = signer.sign(parameters, format: configuration.format).encodedQuery
        var request: HTTPClientRequest
        switch method {
        case .get:
            request = HTTPClientRequest(url: base + "/v1" + call + "?" + signed)
            request.method = .GET
        case .post:
            request = HTTPClientRequest(url: base + "/v1" + call)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: signed))
        }
        request.headers.add(name: "User-Agent", value: "jwingest/\(JWPlatformVersion.current)")
        request.headers.add(name: "Accept", value: "*/*")

        let status: Int
        let body: [UInt8]
        do {
            let response = try await httpClient.execute(request, timeout: .init(configuration.requestTimeout))
            status = Int(response.status.code)
            do {
                body = Array(try await response.body.collect(upTo: configuration.maxAnswerBytes).readableBytesView)
            } catch is NIOTooManyBytesError {
                throw UnreadableAnswerError(
                    call: call, httpStatus: status, format: format.name, body: [],
                    reason: "the body is larger than \(configuration.maxAnswerBytes) bytes")
            }
        } catch let error as UnreadableAnswerError {
            throw error
        } catch {
            throw APITransportError(call: call, reason: String(describing: error))
        }
        return try APIAnswer(call: call, httpStatus: status, body: body, format: format)
    }

    /// `/videos/show`, `videos/show` and `/v1/videos/show` all name the call `/videos/show`.
    static func callName(_ call: String) -> String {
        var name = call.hasPrefix("/") ? call : "/" + call
        if name.hasPrefix("/v1/") { name.removeFirst(3) }
        return name
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// The version of this package, sent in the `User-Agent` header.
public enum JWPlatformVersion {
    /// The version text.
    public static let current = "0.1.0"
}
