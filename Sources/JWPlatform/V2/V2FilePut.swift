import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A byte range of a file to `PUT` to a presigned v2 link: a whole file (a direct upload) or one part of
/// a multipart upload.
public struct FileRange: Sendable, Hashable {
    /// The file on disk.
    public var file: URL
    /// Where the range starts.
    public var offset: Int64
    /// How many bytes it holds.
    public var length: Int64
    /// The file's size as measured before sending: the range that reaches it also proves the file did not
    /// grow meanwhile.
    public var fileSize: Int64

    /// Creates a range of `length` bytes at `offset` of `file` (of `fileSize` bytes).
    public init(file: URL, offset: Int64, length: Int64, fileSize: Int64) {
        self.file = file
        self.offset = offset
        self.length = length
        self.fileSize = fileSize
    }

    /// The whole of `file`.
    public static func whole(_ file: URL, size: Int64) -> FileRange {
        FileRange(file: file, offset: 0, length: size, fileSize: size)
    }
}

/// What a presigned `PUT` sent and what the server's `ETag` says it stored.
public struct FilePutResult: Sendable, Hashable {
    /// The MD5 and size computed while sending, in the pass that read the bytes.
    public var sent: FileDigest
    /// The `ETag`, unquoted and lower-cased: the MD5 of what the server stored.
    public var etag: String

    /// Whether the server stored exactly what was sent.
    public var matches: Bool { sent.md5 == etag }
}

extension V2Client {
    /// Sends a range of a file to a presigned link with a bare `PUT` (`Content-Length` only: a header that
    /// the link's signature does not cover would break it), reading the range once: the same pass streams
    /// it, feeds its MD5 and counts the bytes.
    ///
    /// Nothing is retried here: a retry needs a fresh body, which the caller decides.
    ///
    /// - Parameters:
    ///   - range: The bytes to send.
    ///   - link: The presigned URL of the answer (`upload_link`); plain `http` is kept only on loopback or
    ///     with ``TransportSecurity/allowsPlainHTTP``.
    ///   - progress: Called with the bytes sent so far, after each chunk.
    /// - Throws: ``FileReadError`` when the file cannot be read or changes while being sent,
    ///   ``UploadRejectedError`` for an error answer, ``APITransportError`` when no answer came,
    ///   ``UploadURLError`` for a link that is not an http(s) URL.
    public func put(
        _ range: FileRange, to link: String, progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws -> FilePutResult {
        let url = try Self.secured(link, security: configuration.security)
        let digest = RunningDigest()
        let chunks = ReadAheadChunks(
            base: FileChunks(
                path: range.file.path, expectedSize: range.length, chunkSize: 256 << 10, digest: digest,
                progress: progress, start: range.offset, checksEnd: range.offset + range.length >= range.fileSize),
            depth: 8)
        var request = HTTPClientRequest(url: url.url)
        request.method = .PUT
        request.body = .stream(chunks, length: .known(range.length))
        request.headers.add(name: "User-Agent", value: "jwingest/\(JWPlatformVersion.current)")
        let call = "PUT \(url)"
        let (answer, sent) = try await HTTPExchange.upload(
            request, with: httpClient, maxAnswerBytes: configuration.maxAnswerBytes, call: call, digest: digest,
            finish: { await chunks.finish() })
        let result = try APIClient.s3Result(
            status: answer.status, headers: answer.headers, body: answer.body, sent: sent, call: call)
        try HTTPExchange.ensureWhole(sent, expected: range.length, status: answer.status, call: call)
        return FilePutResult(sent: sent, etag: result.received.md5)
    }

    /// `link` with the https rule applied.
    static func secured(_ link: String, security: TransportSecurity) throws -> UploadURL {
        guard var components = URLComponents(string: link), let scheme = components.scheme,
            ["http", "https"].contains(scheme.lowercased()), let host = components.host, !host.isEmpty
        else {
            throw UploadURLError(reason: "the upload link is not an http(s) URL")
        }
        components.scheme = security.scheme(scheme, address: components.percentEncodedHost ?? host)
        return UploadURL(components.string ?? link)
    }
}
