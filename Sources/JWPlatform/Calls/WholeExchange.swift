import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One whole-body request of ``HTTP1ConnectionPool`` and its answer, owned by the pool's event loop: its
/// promise is completed once, by the answer, a failure, the deadline or a cancellation, whichever comes first.
///
/// Every property is read and written on the loop only (hence `@unchecked Sendable`); the calling task
/// reaches it through the loop (`execute`) when it is cancelled.
final class WholeExchange: @unchecked Sendable {
    let head: HTTPRequestHead
    let body: ByteBuffer?
    /// The largest answer body taken.
    let limit: Int
    let promise: EventLoopPromise<HTTPExchange.Answer>

    /// The connection, once the exchange has one: closed when it fails.
    var channel: (any Channel)?
    /// The deadline's timer.
    var deadline: Scheduled<Void>?
    /// The status of the answer's head, once it came.
    var status: Int?
    private(set) var isFinished = false

    init(head: HTTPRequestHead, body: ByteBuffer?, limit: Int, promise: EventLoopPromise<HTTPExchange.Answer>) {
        self.head = head
        self.body = body
        self.limit = limit
        self.promise = promise
    }

    /// Completes with `answer`, unless the exchange had already ended.
    func succeed(_ answer: HTTPExchange.Answer) {
        guard !isFinished else { return }
        isFinished = true
        deadline?.cancel()
        promise.succeed(answer)
    }

    /// Fails with `error` and closes the connection: whatever it still carries belongs to this exchange.
    func fail(_ error: any Error) {
        guard !isFinished else { return }
        isFinished = true
        deadline?.cancel()
        channel?.close(promise: nil)
        promise.fail(WholeExchangeFailure(status: status, cause: error))
    }
}

/// Why a whole-body exchange failed, through ``HTTP1ConnectionPool`` or AsyncHTTPClient, with the answer's
/// status when its head had come (the answer then broke off).
struct WholeExchangeFailure: Error {
    var status: Int?
    var cause: any Error
}

/// Reads the answer of a connection's current ``WholeExchange``, up to its limit, and hands the connection
/// back when the answer is whole and the connection may carry another request.
final class WholeAnswerReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var exchange: WholeExchange?
    private var answerHead: HTTPResponseHead?
    private var body: [UInt8] = []
    /// Called on the answer's end with whether the connection may carry another request.
    private var reuse: ((Bool) -> Void)?

    /// Makes `exchange` the connection's current one; `reuse` is called once its answer is whole.
    func begin(_ exchange: WholeExchange, reuse: @escaping (Bool) -> Void) {
        self.exchange = exchange
        self.reuse = reuse
        answerHead = nil
        body = []
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let exchange else {
            // Bytes with no request waiting: the connection is not in a state to be used again.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            answerHead = head
            exchange.status = Int(head.status.code)
            let length = head.headers.first(name: "Content-Length").flatMap(Int.init)
            if let length, length > exchange.limit {
                end(failing: WholeAnswerCollector.TooLarge(status: Int(head.status.code), limit: exchange.limit))
            } else if let length {
                body.reserveCapacity(length)
            }
        case .body(let part):
            guard body.count + part.readableBytes <= exchange.limit else {
                end(failing: WholeAnswerCollector.TooLarge(status: exchange.status ?? 0, limit: exchange.limit))
                return
            }
            body.append(contentsOf: part.readableBytesView)
        case .end:
            guard let head = answerHead else { return }
            let reuse = self.reuse
            self.exchange = nil
            self.reuse = nil
            answerHead = nil
            let answer = HTTPExchange.Answer(status: Int(head.status.code), headers: head.headers, body: body)
            body = []
            guard !exchange.isFinished else { return }
            // Given back before the caller resumes, so that its next call finds the connection idle.
            reuse?(head.isKeepAlive && context.channel.isActive)
            exchange.succeed(answer)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        end(failing: error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        end(failing: HTTPClientError.remoteConnectionClosed)
        context.fireChannelInactive()
    }

    private func end(failing error: any Error) {
        guard let exchange else { return }
        self.exchange = nil
        reuse = nil
        answerHead = nil
        body = []
        exchange.fail(error)
    }
}
