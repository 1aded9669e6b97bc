import Hummingbird
import JWPlatform
import NIOCore

/// What a v2 call answers before the envelope: a status and a JSON body (none for `204`).
struct V2Reply: Sendable {
    var status: Int
    var body: APIValue?

    /// A JSON answer.
    static func json(_ status: Int, _ body: APIValue) -> V2Reply { V2Reply(status: status, body: body) }

    /// `204 No Content`.
    static let noContent = V2Reply(status: 204, body: nil)

    /// The error's answer.
    init(_ error: V2Error) {
        status = error.status
        body = error.tree
    }

    init(status: Int, body: APIValue?) {
        self.status = status
        self.body = body
    }

    /// The HTTP response, with `headers` added.
    func response(headers: HTTPFields) -> Response {
        var fields = headers
        guard let body else { return Response(status: .init(code: status), headers: fields) }
        let bytes = (try? JSONAnswerFormat().encode(body)) ?? Array(#"{"errors":[]}"#.utf8)
        fields[.contentType] = "application/json"
        return Response(
            status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
