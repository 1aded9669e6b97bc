import Foundation
import JWPlatform
import Synchronization

/// Sending one file to its link, as upload, thumbnail and tracks all do, through the run's one retry
/// engine: a failed attempt is sent again with a fresh body stream and a fresh digest; a link the server
/// refuses (a used or expired token, a refused signature) is replaced through `renewLink` and the file
/// sent again at once; with `verify`, a server that received other bytes than were sent gets them again
/// on a new link, and once the retries are spent the item fails with both digests.
enum FileTransfer {
    /// Sends `file` and returns what was sent and received.
    ///
    /// - Parameters:
    ///   - what: What the file is, for events and errors: `file`, `thumbnail`, `captions track`.
    ///   - link: The link to use first; `nil` asks `renewLink` for one.
    ///   - verify: Whether a digest mismatch is sent again here (companions), or left to the `verify`
    ///     stage (the media file).
    ///   - renewLink: A new link for the same asset.
    static func send(
        _ file: URL, size: Int64, what: String, method: UploadMethod = .form, redirect: UploadRedirect? = nil,
        verify: Bool, context: StageContext, link: UploadLink?, renewLink: () async throws -> UploadLink
    ) async throws -> FileUploadResult {
        let throttle = ProgressThrottle(item: context.item.id, total: size, emit: context.sink)
        let client = context.client
        var current = link
        let verdict: @Sendable (any Error) -> RetryEngine.Verdict = { error in
            if error is FileReadError { return .fail }
            return isRefusedLink(error) || error is DigestMismatch ? .retryNow : .usePolicy
        }
        do {
            return try await context.retrying("send the \(what) \(file.lastPathComponent)", verdict: verdict) { _ in
                let sendTo: UploadLink
                if let current {
                    sendTo = current
                } else {
                    sendTo = try await renewLink()
                }
                current = sendTo
                let result: FileUploadResult
                do {
                    result = try await client.upload(
                        FileUpload(file: file, size: size, link: sendTo, method: method, redirect: redirect),
                        progress: { throttle.report($0) })
                } catch {
                    // A refused link is spent: the next attempt asks for a new one.
                    if isRefusedLink(error) { current = nil }
                    throw error
                }
                if verify, !result.matches {
                    current = nil
                    throw DigestMismatch(result: result)
                }
                return result
            }
        } catch let error as FileReadError {
            var failure = context.failure("\(error)", retryable: false, code: .fileUnreadable)
            failure.fileError = error
            throw failure
        } catch let mismatch as DigestMismatch {
            throw context.failure(
                "the server received another \(what) than was sent", expected: "\(mismatch.result.sent)",
                seen: "\(mismatch.result.received)", code: .digestMismatch)
        }
    }

    /// A token that is used or expired, or an S3 link whose signature or expiry is refused.
    static func isRefusedLink(_ error: any Error) -> Bool {
        if let apiError = error as? APIError {
            return apiError.code == .permissionDenied && apiError.message.contains("token")
        }
        if let rejected = error as? UploadRejectedError {
            return rejected.status == 403
        }
        return false
    }

    /// The server reported other bytes than were sent.
    struct DigestMismatch: Error, CustomStringConvertible {
        var result: FileUploadResult
        var description: String {
            "digest mismatch: sent \(result.sent), server reports \(result.received); sending again"
        }
    }
}
