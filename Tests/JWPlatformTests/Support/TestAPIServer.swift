import Foundation
import Hummingbird
import JWPlatform
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A request as the test server received it.
struct RecordedRequest: Sendable {
    /// `GET` or `POST`.
    var method: String
    /// The path, e.g. `/v1/videos/show`.
    var path: String
    /// The parameters from the query string or the form body, decoded, in order.
    var parameters: APIParameters
    /// The `Content-Type` header.
    var contentType: String?
    /// Whether `api_signature` matches the documented rule with the server's secret.
    var signatureValid: Bool

    /// The answer format the request asked for.
    var format: AnswerFormatName { AnswerFormatName(rawValue: parameters["api_format"] ?? "json") }
}

/// What the test server answers.
enum TestAnswer: Sendable {
    /// A tree, encoded in the format the request asked for.
    case tree(APIValue, status: Int = 200)
    /// Raw bytes, whatever the request asked for.
    case raw([UInt8], status: Int, contentType: String)
    /// A 200 whose body comes in `parts` (chunked, no length), `interval` apart: a large answer, or one
    /// that trickles for longer than a client waits.
    case parts([[UInt8]], interval: Duration)
}

/// A real HTTP server on 127.0.0.1, port chosen by the system, that records signed API calls and answers
/// them with the package's own encoders. It checks signatures with the documented rule, so a client that
/// signs wrongly is seen.
final class TestAPIServer: Sendable {
    static let key = "testKey8"
    static let secret = "test-secret-0123456789abcdef"

    let port: Int
    private let log: RequestLog

    private init(port: Int, log: RequestLog) {
        self.port = port
        self.log = log
    }

    /// The endpoint to give the client.
    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// The requests received so far, in order.
    var requests: [RecordedRequest] { log.entries.withLock { $0 } }

    /// Credentials the server accepts.
    static var credentials: APICredentials { APICredentials(key: key, secret: secret) }

    /// Starts a server that answers every call with `answer`, runs `body`, and stops the server.
    static func withServer<Result: Sendable>(
        answer: @escaping @Sendable (RecordedRequest) -> TestAnswer,
        _ body: (TestAPIServer) async throws -> Result
    ) async throws -> Result {
        let log = RequestLog()
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let recorded = try await record(request)
            log.entries.withLock { $0.append(recorded) }
            return try respond(answer(recorded), format: recorded.format)
        }
        router.get("/v1/**", use: handler)
        router.post("/v1/**", use: handler)

        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "test-api-server")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                await group.triggerGracefulShutdown()
                throw TestServerError.didNotStart
            }
            let server = TestAPIServer(port: port, log: log)
            do {
                let result = try await body(server)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    private static func record(_ request: Request) async throws -> RecordedRequest {
        var text = request.uri.query ?? ""
        let contentType = request.headers[.contentType]
        if request.method == .post {
            let body = try await request.body.collect(upTo: 1 << 20)
            text = String(buffer: body)
        }
        var parameters = APIParameters()
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.decode(parts[0], plusIsSpace: true) ?? String(parts[0])
            let value = parts.count > 1 ? PercentEncoding.decode(parts[1], plusIsSpace: true) ?? String(parts[1]) : ""
            parameters.append(name, value)
        }
        let expected = APISigner.signature(of: parameters, secret: APISecret(secret))
        return RecordedRequest(
            method: request.method.rawValue, path: request.uri.path, parameters: parameters,
            contentType: contentType, signatureValid: parameters["api_signature"] == expected)
    }

    private static func respond(_ answer: TestAnswer, format: AnswerFormatName) throws -> Response {
        switch answer {
        case .tree(let tree, let status):
            let encoder = try AnswerFormatRegistry.standard.format(named: format)
            let bytes = try encoder.encode(tree)
            return Response(
                status: .init(code: status), headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case .raw(let bytes, let status, let contentType):
            return Response(
                status: .init(code: status), headers: [.contentType: contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case .parts(let parts, let interval):
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody { writer in
                    for part in parts {
                        try await writer.write(ByteBuffer(bytes: part))
                        if interval > .zero { try await Task.sleep(for: interval) }
                    }
                    try await writer.finish(nil)
                })
        }
    }
}

/// The requests a server received, shared between its handler and the test.
final class RequestLog: Sendable {
    let entries = Mutex<[RecordedRequest]>([])
}

enum TestServerError: Error {
    case didNotStart
}
