import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A plain HTTP/1.1 server on 127.0.0.1 whose answers a test scripts down to the connection: whether it
/// asks to close, closes after answering, or answers in chunks. It counts the connections it accepted and
/// the requests it read, so a test can see which connection carried which request.
final class ScriptedHTTP1Server: Sendable {
    /// How the server answers one request.
    struct Answer: Sendable {
        var status: HTTPResponseStatus = .ok
        var body: [UInt8] = Array(#"{"status":"ok"}"#.utf8)
        /// Sends `Connection: close` and closes after the answer.
        var closes = false
        /// Closes the connection right after the answer, without saying so first (an idle timeout).
        var dropsAfterwards = false
        /// Sends the body in chunks of this size, without a length.
        var chunkSize: Int?
    }

    /// One request as the server read it.
    struct Request: Sendable {
        var connection: Int
        var head: HTTPRequestHead
        var body: [UInt8]
    }

    let port: Int
    private let channel: any Channel
    private let state: SharedState

    private final class SharedState: Sendable {
        let connections = Atomic<Int>(0)
        let closed = Atomic<Int>(0)
        let requests = Mutex<[Request]>([])
        let answer: @Sendable (Int) -> Answer

        init(answer: @escaping @Sendable (Int) -> Answer) { self.answer = answer }
    }

    /// The connections accepted so far.
    var connections: Int { state.connections.load(ordering: .relaxed) }
    /// The connections closed so far, by either side.
    var closedConnections: Int { state.closed.load(ordering: .relaxed) }
    /// The requests read so far, in order.
    var requests: [Request] { state.requests.withLock { $0 } }
    /// `http://127.0.0.1:PORT`.
    var origin: String { "http://127.0.0.1:\(port)" }

    /// Starts a server that answers the request numbered `n` (from 0) with `answer(n)`.
    init(answer: @escaping @Sendable (Int) -> Answer) async throws {
        let state = SharedState(answer: answer)
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let number = state.connections.add(1, ordering: .relaxed).newValue
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Responder(state: state, connection: number))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
        self.state = state
    }

    /// Stops listening and closes the server's socket.
    func stop() async throws { try await channel.close() }

    private final class Responder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let state: SharedState
        let connection: Int
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(state: SharedState, connection: Int) {
            self.state = state
            self.connection = connection
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(let part):
                body.append(contentsOf: part.readableBytesView)
            case .end:
                guard let head else { return }
                let number = state.requests.withLock { requests in
                    requests.append(Request(connection: connection, head: head, body: body))
                    return requests.count - 1
                }
                answer(state.answer(number), context: context)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            state.closed.add(1, ordering: .relaxed)
            context.fireChannelInactive()
        }

        private func answer(_ answer: Answer, context: ChannelHandlerContext) {
            var headers = HTTPHeaders([("Content-Type", "application/json")])
            if answer.closes { headers.add(name: "Connection", value: "close") }
            if answer.chunkSize == nil {
                headers.add(name: "Content-Length", value: String(answer.body.count))
            } else {
                headers.add(name: "Transfer-Encoding", value: "chunked")
            }
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: answer.status, headers: headers))),
                promise: nil)
            let size = max(answer.chunkSize ?? answer.body.count, 1)
            var start = 0
            while start < answer.body.count {
                let part = answer.body[start..<min(start + size, answer.body.count)]
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: part)))), promise: nil)
                start += size
            }
            let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if answer.closes || answer.dropsAfterwards {
                let channel = context.channel
                written.whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }
}
