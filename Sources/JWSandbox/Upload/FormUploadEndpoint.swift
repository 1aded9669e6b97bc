import Foundation
import Hummingbird
import JWPlatform
import NIOCore

/// `POST /v1/<segment>/upload?…` (API.md §3): reads `multipart/form-data` as a stream, writes the part
/// named `file` to disk while hashing it, and answers in the asked format with `video{key,md5,size}`,
/// `file{md5,size}` and `media{type,key}`; with `redirect_address`, a 302 to the built address.
enum FormUploadEndpoint {
    /// Thrown to drop the connection in the middle of the body (a fault).
    struct DropConnection: Error {}

    static func handle(
        _ request: Request, segment: String, context: SandboxContext, channel: any Channel
    ) async -> Response {
        var format = AnswerFormatName.json
        // Only a request holding a valid grant may report on its token's progress: a refused second try
        // must not turn a finished upload's `done` into an error.
        var token: String?
        do {
            let upload = try UploadRequest(query: try QueryParameters.parse(request.uri.query ?? ""))
            format = upload.format
            let grant = try await upload.validGrant(segment: segment, context: context)
            token = grant.token
            let faults = context.configuration.faults.decide(for: .upload("/v1/\(segment)/upload"))
            if faults.latency > .zero { try await Task.sleep(for: faults.latency) }
            if let status = faults.status {
                throw SandboxError(
                    APIError.Code(rawValue: status.errorCode), "upload: injected fault", status: status.code)
            }
            let length = request.headers[.contentLength].flatMap { Int64($0) } ?? 0
            let writer = try await receiveFile(
                request, grant: grant, length: length, dropAfter: faults.dropOffset(bodyLength: length),
                bandwidth: faults.bandwidth,
                context: context)
            var md5 = await writer.finish()
            let asset = try await UploadCompletion.record(
                token: grant.token, assetKey: grant.assetKey, writer: writer, md5: md5, context: context)
            await context.state.setProgress(grant.token, .done)
            if faults.wrongMD5 { md5 = FaultDecision.wrongMD5(for: md5) }
            var tree: APIValue = [
                "status": "ok",
                "media": ["type": .string(asset.kind), "key": .string(asset.key)],
                "file": ["md5": .string(md5), "size": .int(asset.size ?? 0)],
                "video": [
                    "key": .string(asset.videoKey ?? asset.key), "md5": .string(md5),
                    "size": .string(String(asset.size ?? 0)),
                ],
            ]
            let redirect = upload.redirectLocation(for: asset.videoKey ?? asset.key)
            if let redirect, case .object(var object) = tree {
                object["redirect_link"] = redirect.tree
                tree = .object(object)
            }
            var response = try encode(tree, status: redirect == nil ? 200 : 302, format: format)
            if let redirect { response.headers[.location] = redirect.location }
            return response
        } catch is DropConnection {
            if let token { await reportFailure(token, context: context, status: 499) }
            channel.close(promise: nil)
            return Response(status: .internalServerError)
        } catch let error as SandboxError {
            if let token { await reportFailure(token, context: context, status: error.status) }
            return (try? encode(error.tree, status: error.status, format: format)) ?? Response(status: .badRequest)
        } catch {
            let failure = SandboxError(.fileUploadFailed, "file: \(error)")
            if let token { await reportFailure(token, context: context, status: failure.status) }
            return (try? encode(failure.tree, status: failure.status, format: format)) ?? Response(status: .badRequest)
        }
    }

    /// Streams the body through the multipart scanner; the `file` part goes to a new stored file.
    static func receiveFile(
        _ request: Request, grant: UploadGrant, length: Int64, dropAfter: Int64?, bandwidth: Int64? = nil,
        context: SandboxContext
    ) async throws -> StoredFileWriter {
        let throttle = BodyThrottle(bandwidth)
        guard let contentType = request.headers[.contentType],
            let boundary = try? MultipartBoundary(contentType: contentType)
        else {
            throw SandboxError.invalid("file", "the body must be multipart/form-data with a boundary")
        }
        var scanner = MultipartScanner(boundary: boundary)
        var writer: StoredFileWriter?
        var inFilePart = false
        var fileComplete = false
        var received: Int64 = 0
        var lastReport: Int64 = -1
        do {
            for try await chunk in request.body {
                received += Int64(chunk.readableBytes)
                if let dropAfter, received > dropAfter { throw DropConnection() }
                await throttle.pace(afterTotal: received)
                // The file part's slices of this chunk, written (and hashed) once the chunk is parsed.
                var fileBytes: [ByteBuffer] = []
                try scanner.feed(buffer: chunk) { event in
                    switch event {
                    case .partBegan(let headers):
                        inFilePart = headers.name == "file" && writer == nil
                        if inFilePart {
                            writer = try StoredFileWriter(
                                url: context.storage.appendingPathComponent(".upload-\(UUID().uuidString)"))
                        }
                    case .bodyBytes(let part):
                        if inFilePart { fileBytes.append(part) }
                    case .partEnded:
                        if inFilePart { fileComplete = true }
                        inFilePart = false
                    case .finished:
                        break
                    }
                }
                if let writer {
                    for part in fileBytes { try await writer.write(part) }
                }
                if received - lastReport >= 256 * 1024 {
                    lastReport = received
                    await context.state.setProgress(
                        grant.token, .uploading(received: received, size: max(length, received)))
                }
            }
            try scanner.finish()
        } catch let error as MultipartError {
            writer?.discard()
            throw SandboxError(.fileUploadFailed, "file: \(error)")
        } catch {
            writer?.discard()
            throw error
        }
        guard let writer, fileComplete else {
            writer?.discard()
            throw SandboxError.missing("file")
        }
        return writer
    }

    /// Marks the token's upload failed, unless another request already spent the token (its `done` stays).
    static func reportFailure(_ token: String, context: SandboxContext, status: Int) async {
        guard await context.state.grant(for: token)?.used == false else { return }
        await context.state.setProgress(token, .error(status: status))
    }

    static func encode(_ tree: APIValue, status: Int, format: AnswerFormatName) throws -> Response {
        let bytes = try AnswerFormatRegistry.standard.format(named: format).encode(tree)
        return Response(
            status: .init(code: status), headers: [.contentType: contentType(for: format)],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func contentType(for format: AnswerFormatName) -> String {
        switch format {
        case .json: return "application/json; charset=utf-8"
        case .xml: return "application/xml; charset=utf-8"
        default: return "text/plain; charset=utf-8"
        }
    }
}
