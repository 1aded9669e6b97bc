import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension APIClient {
    /// Sends a file to an upload link, reading it once: the same pass streams it into the request body,
    /// feeds the MD5 and counts the bytes, with one chunk in memory whatever the size.
    ///
    /// The form method posts `multipart/form-data` with the field `file` to the URL built by
    /// ``UploadURLBuilder/formUpload(link:format:redirect:security:)`` and reads the answer in the client's
    /// format; the S3 method sends a bare `PUT` with `Content-Length` only and reads the `ETag`.
    /// Nothing is retried here: a retry needs a fresh body and, for a used token, a fresh link, which the
    /// caller decides.
    ///
    /// - Parameters:
    ///   - upload: The file, its size, the link and the method.
    ///   - progress: Called with the bytes sent so far, after each chunk.
    /// - Returns: What was sent and what the server says it received; compare them with
    ///   ``FileUploadResult/matches``.
    /// - Throws: ``FileReadError`` when the file cannot be read or changes while being sent,
    ///   ``APIError`` for an error answer of the upload server, ``UploadRejectedError`` for an S3 error,
    ///   ``APITransportError`` when no answer came, ``UploadURLError`` for an unusable link.
    public func upload(
        _ upload: FileUpload, progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws -> FileUploadResult {
        let digest = RunningDigest()
        let file = FileChunks(
            path: upload.file.path, expectedSize: upload.size, chunkSize: max(upload.chunkSize, 4096), digest: digest,
            progress: progress)
        // A file of one chunk goes in one buffer, framing included; a larger one streams, read ahead.
        let isSmall = upload.size <= Int64(file.chunkSize)
        let chunks = ReadAheadChunks(base: file, depth: 8)  // its reader task starts only if it is iterated
        let url: UploadURL
        var headers = HTTPHeaders()
        let framing: MultipartFraming?
        if upload.method == .s3 {
            url = try UploadURLBuilder.s3Upload(link: upload.link, security: configuration.security)
            framing = nil
        } else {
            url = try UploadURLBuilder.formUpload(
                link: upload.link, format: configuration.format, redirect: upload.redirect,
                security: configuration.security)
            let form = MultipartFraming(fileName: upload.fileName ?? upload.file.lastPathComponent)
            headers.add(name: "Content-Type", value: form.contentType)
            framing = form
        }
        headers.add(name: "User-Agent", value: "jwingest/\(JWPlatformVersion.current)")
        let method: HTTPMethod = upload.method == .s3 ? .PUT : .POST

        let call = "upload to \(url)"
        let reply: HTTPExchange.Answer
        let sent: FileDigest
        if isSmall {
            // Read whole (one chunk), then sent with its answer gathered on the event loop.
            let body = try await SmallFileBody.read(file, head: framing?.head, tail: framing?.tail)
            reply = try await HTTPExchange.sendWhole(
                url: url.url, method: method, headers: headers, body: body, with: httpClient,
                timeout: .seconds(24 * 3600), maxAnswerBytes: configuration.maxAnswerBytes, call: call)
            sent = digest.finish()
        } else {
            var request = HTTPClientRequest(url: url.url)
            request.method = method
            request.headers = headers
            if let framing {
                request.body = .stream(
                    FramedChunks(head: framing.head, base: chunks, tail: framing.tail),
                    length: .known(framing.bodyLength(fileSize: upload.size)))
            } else {
                request.body = .stream(chunks, length: .known(upload.size))
            }
            (reply, sent) = try await HTTPExchange.upload(
                request, with: httpClient, maxAnswerBytes: configuration.maxAnswerBytes, call: call, digest: digest,
                finish: { await chunks.finish() })
        }
        let (status, body) = (reply.status, reply.body)
        let result: FileUploadResult
        if upload.method == .s3 {
            result = try Self.s3Result(status: status, headers: reply.headers, body: body, sent: sent, call: call)
        } else {
            let format = try configuration.formats.format(named: configuration.format)
            let path = upload.link.path
            let answerCall = path.hasPrefix("/v1/") ? String(path.dropFirst(3)) : path
            let answer = try UploadAnswer(
                APIAnswer(call: answerCall, httpStatus: status, body: body, format: format).reader)
            result = FileUploadResult(
                sent: sent, received: FileDigest(md5: answer.md5, size: answer.size), key: answer.key,
                redirectAddress: answer.redirectAddress ?? reply.headers.first(name: "Location"),
                httpStatus: status)
        }
        try HTTPExchange.ensureWhole(sent, expected: upload.size, status: status, call: call)
        return result
    }

    /// Reads an S3 answer: 200 with `ETag: "<md5>"`, or an XML error.
    static func s3Result(
        status: Int, headers: HTTPHeaders, body: [UInt8], sent: FileDigest, call: String
    ) throws -> FileUploadResult {
        guard (200..<300).contains(status) else {
            throw UploadRejectedError(status: status, xmlBody: body, call: call)
        }
        guard let etag = headers.first(name: "ETag") else {
            throw AnswerShapeError(call: call, path: "ETag", expected: "an ETag header", seen: "none")
        }
        let md5 = etag.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).lowercased()
        return FileUploadResult(
            sent: sent, received: FileDigest(md5: md5, size: sent.size), key: nil, redirectAddress: nil,
            httpStatus: status)
    }
}
