import Foundation
import Hummingbird
import NIOCore

/// Reads the form body of a signed API call, but no more than a small head of it until the API key is
/// known: a sandbox reachable from other machines must not read megabytes for a stranger.
enum APIBodyReader {
    /// What is read before the key must be known.
    static let headLimit = 64 << 10
    /// The largest body of an API call.
    static let limit = 8 << 20

    /// The whole body, read only past ``headLimit`` when the key (in the query, or in the head of the
    /// body) is the sandbox's.
    ///
    /// - Throws: ``SandboxError`` `ApiKeyInvalid` for a long body from another key, `ParameterInvalid`
    ///   for a body over ``limit``.
    static func read(_ body: RequestBody, queryKey: String?, expectedKey: String) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        var keyChecked = false
        for try await chunk in body {
            var chunk = chunk
            collected.writeBuffer(&chunk)
            if !keyChecked, collected.readableBytes > headLimit {
                let key = queryKey ?? formValue("api_key", in: collected)
                guard key == expectedKey else {
                    throw SandboxError(.apiKeyInvalid, "api_key: unknown; a body over 64 KiB needs a known key first")
                }
                keyChecked = true
            }
            guard collected.readableBytes <= limit else {
                throw SandboxError.invalid("body", "is over \(limit) bytes")
            }
        }
        return collected
    }

    /// The value of `name` in the first 64 KiB of a form-encoded body, as sent (keys need no decoding).
    static func formValue(_ name: String, in buffer: ByteBuffer) -> String? {
        let text = String(
            buffer: buffer.getSlice(at: buffer.readerIndex, length: min(buffer.readableBytes, headLimit))!)
        for pair in text.split(separator: "&") where pair.hasPrefix(name + "=") {
            return String(pair.dropFirst(name.count + 1)).removingPercentEncoding
        }
        return nil
    }
}
