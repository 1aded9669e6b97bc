import Hummingbird
import JWPlatform
import NIOCore

/// Reads the JSON body of a v2 call: at most 1 MiB, `Content-Type: application/json` when there is a body,
/// and a JSON object.
enum V2RequestBody {
    /// The largest body of a v2 call.
    static let limit = 1 << 20

    /// The body's object, or `nil` for an empty body.
    ///
    /// - Throws: ``V2Error`` `400 invalid_body` for a body over ``limit``, of another type, not JSON, or
    ///   not an object.
    static func read(_ request: Request) async throws(V2Error) -> APIObject? {
        var collected = ByteBuffer()
        do {
            for try await chunk in request.body {
                var chunk = chunk
                collected.writeBuffer(&chunk)
                guard collected.readableBytes <= limit else {
                    throw V2Error.invalidBody("", "the body is over \(limit) bytes")
                }
            }
        } catch let error as V2Error {
            throw error
        } catch {
            throw .invalidBody("", "the body could not be read: \(error)")
        }
        let bytes = Array(collected.readableBytesView)
        guard bytes.contains(where: { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }) else { return nil }
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters()
        guard type?.lowercased() == "application/json" else {
            throw .invalidBody("", "a body must be JSON with Content-Type: application/json, not \(type ?? "none")")
        }
        let value: APIValue
        do {
            value = try JSONAnswerFormat().decode(bytes)
        } catch {
            throw .invalidBody("", "the body is not JSON: \(error)")
        }
        guard let object = value.objectValue else { throw .invalidBody("", "the body must be a JSON object") }
        return object
    }

    /// Refuses members of `object` other than `allowed`.
    ///
    /// - Throws: ``V2Error`` `400 invalid_body` naming the first unknown member.
    static func allow(_ allowed: [String], in object: APIObject?) throws(V2Error) {
        guard let unknown = object?.keys.first(where: { !allowed.contains($0) }) else { return }
        throw .invalidBody(unknown, "unknown field (known: \(allowed.joined(separator: ", ")))")
    }
}
