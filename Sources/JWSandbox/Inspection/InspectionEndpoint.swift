import Foundation
import Hummingbird
import JWPlatform

/// `GET /_sandbox/assets`: every asset as JSON (v2 media included, as `video` assets with `part_puts` and
/// `external_id`; v2 thumbnails and text tracks as v1's, `thumbnail` and `track` assets whose `videoKey` is
/// the media id, with `poster` true for a media's poster thumbnail), for tests in other processes;
/// `GET /_sandbox/calls`: each route's tally of calls answered and refused for the rate limit (429), for
/// benchmarks of many workers.
enum InspectionEndpoint {
    /// Bound beyond loopback, what the sandbox holds is shown only to who has its v1 key and secret (HTTP
    /// basic) or its v2 secret (`Authorization: Bearer`).
    static func mayInspect(_ request: Request, _ context: SandboxContext) -> Bool {
        context.configuration.isLoopbackOnly
            || isAuthorized(request.headers[.authorization], context.configuration.credentials)
            || context.configuration.v2Credentials.secret.withRevealedText { secret in
                V2Bearer.token(of: request).map { V2LinkSigner.constantTimeEqual($0, secret) } ?? false
            }
    }

    /// The answer to an inspection without the key and secret.
    static var unauthorized: Response {
        Response(
            status: .unauthorized, headers: [.wwwAuthenticate: "Basic realm=\"jwingest sandbox\""],
            body: .init(byteBuffer: ByteBuffer(string: "give the API key and secret (HTTP basic)\n")))
    }

    /// A JSON answer.
    static func json(_ bytes: [UInt8]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func talliesJSON(_ tallies: [String: CallTally]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return Array(try encoder.encode(tallies))
    }

    /// Whether an `Authorization` header gives the sandbox's key and secret (HTTP basic).
    static func isAuthorized(_ header: String?, _ credentials: APICredentials) -> Bool {
        guard let header, header.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return false }
        let key = String(text[..<colon])
        let secret = String(text[text.index(after: colon)...])
        return key == credentials.key && credentials.secret.withRevealedText { $0 == secret }
    }

    static func assetsJSON(_ assets: [SandboxAsset]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return Array(try encoder.encode(assets))
    }
}
