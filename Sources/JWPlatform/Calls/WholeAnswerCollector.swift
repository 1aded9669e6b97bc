import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// Gathers an answer's status, headers and body on the connection's event loop, refusing a body larger than
/// a limit, so that the caller is resumed once, with the whole answer.
///
/// The streamed `HTTPClientResponse` of the async API hands the head and each part of the body over to the
/// waiting task separately; for the small answers of API calls and one-buffer uploads those hand-overs
/// (a thread wake-up each) cost more than the call's own work (issue 14).
final class WholeAnswerCollector: HTTPClientResponseDelegate, Sendable {
    typealias Response = HTTPExchange.Answer

    /// The body went past `limit` bytes; `status` is the answer's.
    struct TooLarge: Error {
        var status: Int
        var limit: Int
    }

    /// The request ended without an answer's head (AsyncHTTPClient reports a failure before that).
    struct NoHead: Error {}

    private struct Gathered {
        var head: HTTPResponseHead?
        var body: [UInt8] = []
    }

    private let limit: Int
    private let gathered = Mutex(Gathered())

    /// Collects answers of at most `limit` body bytes.
    init(limit: Int) { self.limit = limit }

    /// The status of the head, once it came.
    var status: Int? { gathered.withLock { $0.head.map { Int($0.status.code) } } }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        let length = head.headers.first(name: "Content-Length").flatMap(Int.init)
        // A head that promises a body over the limit is refused before any of it is read.
        if let length, length > limit {
            gathered.withLock { $0.head = head }
            return task.eventLoop.makeFailedFuture(TooLarge(status: Int(head.status.code), limit: limit))
        }
        gathered.withLock { gathered in
            gathered.head = head
            if let length { gathered.body.reserveCapacity(length) }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ part: ByteBuffer) -> EventLoopFuture<Void> {
        let refused = gathered.withLock { gathered -> TooLarge? in
            guard gathered.body.count + part.readableBytes <= limit else {
                return TooLarge(status: gathered.head.map { Int($0.status.code) } ?? 0, limit: limit)
            }
            gathered.body.append(contentsOf: part.readableBytesView)
            return nil
        }
        if let refused { return task.eventLoop.makeFailedFuture(refused) }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
        try gathered.withLock { gathered in
            guard let head = gathered.head else { throw NoHead() }
            return Response(status: Int(head.status.code), headers: head.headers, body: gathered.body)
        }
    }
}
