import Foundation
import JWPlatform

/// Sending one file to a link with the stage's retries: a failed attempt is sent again with a fresh body
/// stream and a fresh digest; a link the server refuses (used or expired token, refused signature) is
/// replaced through `renewLink` first.
enum FileSending {
    static func send(
        _ file: URL, size: Int64, method: UploadMethod, redirect: UploadRedirect?, context: StageContext,
        link initial: UploadLink, renewLink: () async throws -> UploadLink
    ) async throws -> FileUploadResult {
        var link = initial
        var retry = StageContext.RetryState()
        let throttle = ProgressThrottle(item: context.item.id, total: size, emit: context.sink)
        while true {
            do {
                return try await context.client.upload(
                    FileUpload(file: file, size: size, link: link, method: method, redirect: redirect),
                    progress: { throttle.report($0) })
            } catch let error as FileReadError {
                throw context.failure("\(error)", retryable: false)
            } catch {
                if isRefusedLink(error) {
                    guard retry.attempt <= context.options.retries else { throw error }
                    retry.attempt += 1
                    context.emit(
                        .retry(
                            item: context.item.id, stage: context.step.name, attempt: retry.attempt, delay: 0,
                            reason: "the upload link was refused (\(error)); asking for a new one"))
                    link = try await renewLink()
                    continue
                }
                guard try await context.pauseBeforeRetry("send \(file.lastPathComponent)", after: error, state: &retry)
                else { throw error }
            }
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
}
