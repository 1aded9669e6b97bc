import Foundation
import Hummingbird
import NIOCore

/// The body of a presigned `PUT` (the S3 method's, and v2's direct and part links): its `Content-Length`
/// checked before anything is read, then stored in a new file while it is hashed, under the request's
/// faults (a dropped connection, a bandwidth), and checked to be whole.
enum PresignedBody {
    /// What came of reading a body.
    enum Outcome {
        /// Stored whole: the writer (finished) and the MD5 of what it holds.
        case stored(StoredFileWriter, md5: String)
        /// Refused or broken off: the answer to give (nothing is kept).
        case refused(Response)
    }

    /// Reads `request`'s body into a new file at `url`.
    ///
    /// - Parameters:
    ///   - maximumSize: The largest `Content-Length` taken (a larger one is `EntityTooLarge`, unread).
    ///   - faults: The request's faults: `drop` closes `channel` part-way, `bw` paces the reads.
    static func receive(
        _ request: Request, maximumSize: Int64, storeAt url: URL, faults: FaultDecision, channel: any Channel
    ) async -> Outcome {
        guard let lengthText = request.headers[.contentLength], let length = Int64(lengthText) else {
            return .refused(
                S3Endpoint.error(411, "MissingContentLength", "You must provide the Content-Length HTTP header."))
        }
        guard length <= maximumSize else {
            return .refused(
                S3Endpoint.error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size."))
        }
        let writer: StoredFileWriter
        do {
            writer = try StoredFileWriter(url: url)
        } catch {
            return .refused(S3Endpoint.error(500, "InternalError", "cannot store the body"))
        }
        let dropAfter = faults.dropOffset(bodyLength: length)
        let throttle = BodyThrottle(faults.bandwidth)
        do {
            for try await chunk in request.body {
                try await writer.write(chunk)
                await throttle.pace(afterTotal: writer.size)
                if let dropAfter, writer.size > dropAfter {
                    writer.discard()
                    channel.close(promise: nil)
                    return .refused(Response(status: .internalServerError))
                }
            }
        } catch {
            writer.discard()
            return .refused(S3Endpoint.error(400, "IncompleteBody", "The body ended early."))
        }
        guard writer.size == length else {
            writer.discard()
            return .refused(
                S3Endpoint.error(400, "IncompleteBody", "You did not provide the number of bytes in Content-Length."))
        }
        return .stored(writer, md5: await writer.finish())
    }

    /// Gives a whole file to the asset of a single-use grant (``UploadCompletion/record(token:assetKey:writer:md5:context:)``);
    /// the S3-style error to answer when that fails, `nil` when it is recorded.
    static func record(
        token: String, assetKey: String, writer: StoredFileWriter, md5: String, context: SandboxContext
    ) async -> Response? {
        do {
            _ = try await UploadCompletion.record(
                token: token, assetKey: assetKey, writer: writer, md5: md5, context: context)
            return nil
        } catch let failure as SandboxError {
            let code = failure.code == .permissionDenied ? "AccessDenied" : failure.code.rawValue
            return S3Endpoint.error(failure.status, code, failure.message)
        } catch {
            return S3Endpoint.error(500, "InternalError", "\(error)")
        }
    }
}
