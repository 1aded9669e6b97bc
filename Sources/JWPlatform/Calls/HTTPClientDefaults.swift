import AsyncHTTPClient
import NIOCore
import NIOPosix

/// The HTTP client that ``APIClient`` uses unless given one.
///
/// Unlike `HTTPClient.shared`, it does not retry failed connection attempts by itself until the request's
/// deadline: a refused connection fails at once with ``APITransportError``, and the caller's
/// ``RetryPolicy`` decides, signing each attempt anew.
public enum JWPlatformHTTPClient {
    /// The process-wide client; it lives as long as the process and is never shut down.
    public static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .seconds(120))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }()
}
