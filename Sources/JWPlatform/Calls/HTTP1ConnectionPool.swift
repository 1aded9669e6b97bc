import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Sends requests whose body is in memory (API calls, uploads of small files) over HTTP/1.1 connections of
/// one event loop, kept open between requests, and reads each whole answer.
///
/// The clients that JWPlatform makes (``JWPlatformHTTPClient/shared``,
/// ``JWPlatformHTTPClient/trusting(caFile:)``) send such requests through a pool of their own, with the same
/// settings: connect timeout, TLS trust, no redirects, no decompression. AsyncHTTPClient's request bag,
/// state machines and connection pool were about a quarter of a small item's CPU at concurrency 1; with
/// this path a small item costs about a quarter less in all (`perf`, alternating runs, issue 14).
/// Streamed uploads, and every request of a client you make yourself, still go through AsyncHTTPClient.
/// `JWINGEST_HTTP_CLIENT=asynchttpclient` sends everything through it.
///
/// A request goes out in one write. A connection is used again only after a whole answer that allows it;
/// one unused for ``idleTimeout`` is closed by the next sweep (after one to two times that). A request is
/// never sent twice: when a kept connection turns out closed by the server after the request was written,
/// the caller gets the failure, as from AsyncHTTPClient, and its retry policy decides.
final class HTTP1ConnectionPool: @unchecked Sendable {
    /// How long an unused connection stays open by default (AsyncHTTPClient's default).
    static let defaultIdleTimeout = TimeAmount.seconds(60)
    /// How many unused connections are kept per origin.
    static let idlePerOrigin = 16

    /// Whether whole-body requests use the pools (`JWINGEST_HTTP_CLIENT` is not `asynchttpclient`).
    static let isEnabled =
        ProcessInfo.processInfo.environment["JWINGEST_HTTP_CLIENT"]?.lowercased() != "asynchttpclient"

    /// The loop of every connection, and of every property below (hence `@unchecked Sendable`).
    let loop: any EventLoop
    /// How long an unused connection stays open.
    let idleTimeout: TimeAmount
    private let tls: TLSConfiguration
    private var tlsContext: NIOSSLContext?
    private var idle: [WholeRequestTarget.Origin: [IdleConnection]] = [:]
    /// The timer that closes connections idle for ``idleTimeout``, while any is kept.
    private var sweep: Scheduled<Void>?

    private struct IdleConnection {
        var channel: any Channel
        var since: NIODeadline
    }

    /// A pool on `loop` whose TLS connections trust what `tls` says (the system's roots by default).
    init(loop: any EventLoop, tls: TLSConfiguration?, idleTimeout: TimeAmount = defaultIdleTimeout) {
        self.loop = loop
        self.idleTimeout = idleTimeout
        var tls = tls ?? .makeClientConfiguration()
        tls.applicationProtocols = ["http/1.1"]
        self.tls = tls
    }

    /// Sends `method` to `target` with `headers` and `body` (`Host` and `Content-Length` added), and returns
    /// the whole answer, of at most `limit` body bytes, by `deadline`. Cancelling the calling task ends
    /// the exchange and closes its connection.
    ///
    /// - Throws: ``WholeExchangeFailure``: its cause is a connection failure (NIO's), `deadlineExceeded`,
    ///   ``WholeAnswerCollector/TooLarge``, `cancelled`, or what the connection reported.
    func send(
        _ method: HTTPMethod, to target: WholeRequestTarget, headers: HTTPHeaders, body: ByteBuffer?,
        deadline: NIODeadline, limit: Int
    ) async throws -> HTTPExchange.Answer {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: target.path, headers: headers)
        if !head.headers.contains(name: "Host") { head.headers.add(name: "Host", value: target.hostHeader) }
        if let body {
            head.headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        } else if method == .POST || method == .PUT || method == .PATCH {
            head.headers.replaceOrAdd(name: "Content-Length", value: "0")
        }
        // A task cancelled already sends nothing.
        if Task.isCancelled { throw WholeExchangeFailure(status: nil, cause: HTTPClientError.cancelled) }
        let exchange = WholeExchange(head: head, body: body, limit: limit, promise: loop.makePromise())
        return try await withTaskCancellationHandler {
            if loop.inEventLoop {
                start(exchange, to: target.origin, deadline: deadline)
            } else {
                loop.execute { self.start(exchange, to: target.origin, deadline: deadline) }
            }
            return try await exchange.promise.futureResult.get()
        } onCancel: {
            loop.execute { exchange.fail(HTTPClientError.cancelled) }
        }
    }

    private func start(
        _ exchange: WholeExchange, to origin: WholeRequestTarget.Origin, deadline: NIODeadline
    ) {
        loop.assertInEventLoop()
        guard !exchange.isFinished else { return }
        exchange.deadline = loop.scheduleTask(deadline: deadline) {
            exchange.fail(HTTPClientError.deadlineExceeded)
        }
        if let channel = takeIdle(origin) {
            run(exchange, on: channel, origin: origin)
            return
        }
        connect(to: origin).whenComplete { result in
            switch result {
            case .success(let channel):
                guard !exchange.isFinished else {
                    channel.close(promise: nil)
                    return
                }
                self.run(exchange, on: channel, origin: origin)
            case .failure(let error):
                exchange.fail(error)
            }
        }
    }

    /// An open idle connection to `origin`, if one is kept; closed ones are dropped on the way.
    private func takeIdle(_ origin: WholeRequestTarget.Origin) -> (any Channel)? {
        while let connection = idle[origin]?.popLast() {
            if connection.channel.isActive { return connection.channel }
        }
        return nil
    }

    /// Keeps `channel` for the next request to `origin`, the most recently used last.
    private func release(_ channel: any Channel, to origin: WholeRequestTarget.Origin) {
        loop.assertInEventLoop()
        guard (idle[origin]?.count ?? 0) < Self.idlePerOrigin else {
            channel.close(promise: nil)
            return
        }
        idle[origin, default: []].append(IdleConnection(channel: channel, since: .now()))
        if sweep == nil { scheduleSweep() }
    }

    /// Closes, every ``idleTimeout``, the connections unused since the previous sweep or longer: one timer
    /// for the pool, where a timer per kept connection cost a timer's setting and cancelling per request.
    private func scheduleSweep() {
        sweep = loop.scheduleTask(in: self.idleTimeout) {
            let limit = NIODeadline.now() - self.idleTimeout
            for (origin, connections) in self.idle {
                let (stale, kept) = (
                    connections.filter { $0.since <= limit }, connections.filter { $0.since > limit }
                )
                for connection in stale { connection.channel.close(promise: nil) }
                self.idle[origin] = kept.isEmpty ? nil : kept
            }
            self.sweep = nil
            if !self.idle.isEmpty { self.scheduleSweep() }
        }
    }

    private func run(_ exchange: WholeExchange, on channel: any Channel, origin: WholeRequestTarget.Origin) {
        exchange.channel = channel
        let reader: WholeAnswerReader
        do {
            reader = try channel.pipeline.syncOperations.handler(type: WholeAnswerReader.self)
        } catch {
            exchange.fail(error)
            return
        }
        reader.begin(exchange) { reusable in
            if reusable { self.release(channel, to: origin) } else { channel.close(promise: nil) }
        }
        // Head and body go out in one write when the connection flushes.
        channel.write(HTTPClientRequestPart.head(exchange.head), promise: nil)
        if let body = exchange.body, body.readableBytes > 0 {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil)).whenFailure { error in exchange.fail(error) }
    }

    private func connect(to origin: WholeRequestTarget.Origin) -> EventLoopFuture<any Channel> {
        var context: NIOSSLContext?
        if origin.secure {
            do {
                context = try tlsContext ?? NIOSSLContext(configuration: tls)
                tlsContext = context
            } catch {
                return loop.makeFailedFuture(error)
            }
        }
        // An address is connected to as it is: a name goes through NIO's resolver (getaddrinfo on a
        // thread of its own, then Happy Eyeballs), which for an address only costs a thread hand-over.
        let address = origin.address
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(JWPlatformHTTPClient.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let context {
                        try pipeline.addHandler(
                            NIOSSLClientHandler(
                                context: context,
                                serverHostname: address == nil ? origin.host : nil))
                    }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(WholeAnswerReader())
                }
            }
        if let address { return bootstrap.connect(to: address) }
        return bootstrap.connect(host: origin.host, port: origin.port)
    }
}
