import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// The HTTP client that ``APIClient`` uses unless given one.
///
/// Unlike `HTTPClient.shared`, it does not retry failed connection attempts by itself until the request's
/// deadline: a refused connection fails at once with ``APITransportError``, and the caller's
/// ``RetryPolicy`` decides, signing each attempt anew.
public enum JWPlatformHTTPClient {
    /// The process-wide client; it lives as long as the process and is never shut down.
    public static let shared: HTTPClient = HTTPClient(
        eventLoopGroup: eventLoops, configuration: configuration(tls: nil))

    /// The one event loop thread of the clients: a request handed from the caller's thread to one loop and
    /// its connection served by another cost a thread wake-up more, and a second loop saved no time: with
    /// two, `jwingest run` of 1,000 small items spent 7 % more CPU for the same wall time, and a verified
    /// 1 GiB upload took as long (issue 14). One loop writes loopback sockets at several GB/s; with TLS it
    /// also encrypts (`openssl speed -evp aes-128-gcm` here: 4.2 GB/s for 8 KiB records on one core), far
    /// above an upload link.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// A task executor on the clients' event loop: the calls of a task that prefers it start on the thread
    /// that serves their connections and resume there (see ``EventLoopTaskExecutor``). `jwingest run` puts
    /// small items there (issue 14).
    public static let taskExecutor = EventLoopTaskExecutor(eventLoop: eventLoops.next())

    /// Whether `client` runs on the event loop of ``taskExecutor``: ``shared`` and the clients of
    /// ``trusting(caFile:)`` do; a client made on an event loop group of your own does not.
    public static func runsOnTaskExecutorLoop(_ client: HTTPClient) -> Bool {
        client.eventLoopGroup === eventLoops
    }

    /// A client like ``shared`` that also trusts the certificate authorities of a PEM file (a company's
    /// proxy, or a sandbox's throw-away authority), beside the system's. One client per file, kept for the
    /// process's life like ``shared`` (do not shut it down).
    ///
    /// - Throws: ``CertificateFileError`` when the file holds no readable PEM certificate.
    public static func trusting(caFile: URL) throws -> HTTPClient {
        try kept.withLock { clients in
            if let kept = clients[caFile.path] { return kept.client }
            let made = try makeClient(trusting: caFile)
            clients[caFile.path] = made
            return made.client
        }
    }

    /// The pool that sends the whole-body requests of `client` (see ``HTTP1ConnectionPool``): one for
    /// ``shared`` and one for each client of ``trusting(caFile:)``; nil for a client of your own, or when
    /// `JWINGEST_HTTP_CLIENT=asynchttpclient`.
    static func wholeRequestPool(for client: HTTPClient) -> HTTP1ConnectionPool? {
        guard HTTP1ConnectionPool.isEnabled else { return nil }
        if client === shared { return sharedPool }
        return kept.withLock { clients in clients.values.first { $0.client === client }?.pool }
    }

    private static let sharedPool = HTTP1ConnectionPool(loop: taskExecutor.eventLoop, tls: nil)

    /// The clients of ``trusting(caFile:)`` and their pools: an `HTTPClient` must be shut down before it is
    /// released, and these live as long as the process.
    private static let kept = Mutex<[String: (client: HTTPClient, pool: HTTP1ConnectionPool)]>([:])

    private static func makeClient(trusting caFile: URL) throws -> (client: HTTPClient, pool: HTTP1ConnectionPool) {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(caFile.path)
        } catch {
            throw CertificateFileError(path: caFile.path, reason: "\(error)")
        }
        guard !certificates.isEmpty else {
            throw CertificateFileError(path: caFile.path, reason: "it holds no PEM certificate")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.additionalTrustRoots = [.certificates(certificates)]
        return (
            HTTPClient(eventLoopGroup: eventLoops, configuration: configuration(tls: tls)),
            HTTP1ConnectionPool(loop: taskExecutor.eventLoop, tls: tls)
        )
    }

    /// How long the clients, and their pools of whole-body requests, may take to open a connection.
    static let connectTimeout = TimeAmount.seconds(10)

    private static func configuration(tls: TLSConfiguration?) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        if let tls { configuration.tlsConfiguration = tls }
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: connectTimeout, read: .seconds(120))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        configuration.redirectConfiguration = .disallow
        // No tracing spans: the default (the process's tracer, a no-op one unless bootstrapped) still built a
        // span and its attributes for every request, about 2 % of a small item's CPU (issue 14).
        configuration.tracing.tracer = nil
        return configuration
    }
}

/// A `--ca-file` that cannot be used.
public struct CertificateFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// Why.
    public var reason: String

    /// The text shown in messages and logs.
    public var description: String { "cannot use the CA file \(path): \(reason)" }
}
