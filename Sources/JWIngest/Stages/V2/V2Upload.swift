import Foundation
import JWPlatform
import Synchronization

/// `upload` on v2: sends the item's file through the upload its media has open (or a new one from
/// `reupload` when it has none), reading it once.
///
/// A direct upload is one presigned `PUT`; its `ETag` is what the server stored, which `verify` compares.
/// A multipart upload sends up to `part_concurrency` parts at a time, each checked against its `ETag`,
/// and records each stored part in the journal as soon as it is verified: a run killed half-way lists the
/// upload's parts and sends only the missing ones. A stored part that is not the local file's (the file
/// changed) starts a new upload: a mixed file is never completed.
enum V2Upload {
    static func run(
        _ state: inout ItemState, _ context: StageContext, _ client: V2Client
    ) async throws
        -> StageOutcome
    {
        guard let file = context.item.file, state.received == nil, !state.verified else { return .done }
        let size = try state.fileSize ?? UploadStage.size(of: file, context)
        state.fileSize = size
        var working = state
        let result: (sent: FileDigest, received: FileDigest)
        do {
            result = try await send(file, size: size, &working, context, client)
        } catch let gone as UploadLinks.AssetGone {
            state = working
            return .resend(from: "create", because: context.failure(gone.reason, code: .platformError))
        } catch let error as FileReadError {
            state = working
            var failure = context.failure("\(error)", retryable: false, code: .fileUnreadable)
            failure.fileError = error
            throw failure
        } catch {
            state = working
            throw error
        }
        state = working
        state.v2Upload = nil
        state.uploads += 1
        state.sent = result.sent
        state.received = result.received
        state.remoteStatus = nil
        return .done
    }

    /// Sends the file and returns what was sent and what the platform says it stored.
    static func send(
        _ file: URL, size: Int64, _ state: inout ItemState, _ context: StageContext, _ client: V2Client
    ) async throws -> (sent: FileDigest, received: FileDigest) {
        let throttle = ProgressThrottle(item: context.item.id, total: size, emit: context.sink)
        let verdict: @Sendable (any Error) -> RetryEngine.Verdict = { error in
            if error is FileReadError || error is UploadLinks.AssetGone { return .fail }
            return error is RestartUpload ? .retryNow : .usePolicy
        }
        return try await context.retrying("send the file \(file.lastPathComponent)", verdict: verdict) { _ in
            let upload = try await open(&state, size: size, context, client)
            switch upload.method {
            case .direct:
                guard let link = upload.link else { throw RestartUpload(reason: "the direct upload has no link") }
                do {
                    let put = try await client.put(
                        .whole(file, size: size), to: link, progress: { throttle.report($0) })
                    return (put.sent, FileDigest(md5: put.etag, size: put.sent.size))
                } catch let refused as UploadRejectedError where refused.status == 403 || refused.status == 404 {
                    // The link is spent or expired: a new upload next.
                    state.v2Upload = nil
                    throw RestartUpload(reason: "the upload link was refused (HTTP \(refused.status))")
                }
            case .multipart:
                return try await sendParts(file, size: size, &state, context, client, progress: throttle.report)
            }
        }
    }

    /// The state's open upload, or a new one (`reupload`) when it has none: direct under the multipart
    /// threshold, multipart from it. A media that is gone sends the item back to `create`.
    static func open(
        _ state: inout ItemState, size: Int64, _ context: StageContext, _ client: V2Client
    )
        async throws -> V2UploadState
    {
        if let upload = state.v2Upload { return upload }
        guard let key = state.mediaKey else {
            throw UploadLinks.AssetGone(reason: "the item has no media to send its file to")
        }
        let request = try V2Create.request(&state, context)
        let answer: V2MediaUpload
        do {
            answer = try await context.retrying("open a new upload for media \(key)") { _ in
                try await client.reupload(mediaID: key, upload: request.request)
            }
        } catch let error as APIError where error.httpStatus == 404 {
            state.forgetAsset()
            try await context.checkpoint(state)
            throw UploadLinks.AssetGone(reason: "media \(key) is gone from the platform, so it is created anew")
        }
        guard let upload = V2Create.uploadState(answer.target, partSize: request.partSize) else {
            throw context.failure(
                "the reupload answer opened no upload", expected: "an upload link or id", seen: "nothing",
                code: .unexpectedAnswer)
        }
        state.v2Upload = upload
        // The platform's `complete` of this media is earlier than any new part: an earlier `ready` says
        // nothing of the new file.
        state.remoteStatus = nil
        try await context.checkpoint(state)
        return upload
    }

    /// Sends the parts the platform does not hold, recording each verified part, then completes.
    static func sendParts(
        _ file: URL, size: Int64, _ state: inout ItemState, _ context: StageContext, _ client: V2Client,
        progress: @escaping @Sendable (Int64) -> Void
    ) async throws -> (sent: FileDigest, received: FileDigest) {
        guard let current = state.v2Upload, let upload = current.multipartUpload else {
            throw RestartUpload(reason: "the multipart upload has no id or token")
        }
        let plan: MultipartPlan
        do {
            plan = try MultipartPlan(fileSize: size, partSize: current.partSize ?? context.options.partSize)
        } catch {
            throw context.failure("\(error)", code: .invalidItem)
        }
        let ledger = PartLedger(state)
        let recorded = current.partMD5s ?? [:]
        let sender = PartSender(
            client: client, upload: upload, plan: plan, file: file, concurrency: context.options.partConcurrency,
            recorded: recorded, retry: RetryPolicy(maxAttempts: context.options.retries + 1))
        let partMD5s: [Int: String]
        do {
            let outcome = try await sender.send(
                partStored: { number, md5 in try await context.checkpoint(ledger.record(part: number, md5: md5)) },
                progress: progress)
            partMD5s = outcome.partMD5s
        } catch let mismatch as PartMismatchError {
            state = ledger.state
            state.v2Upload = nil
            try await context.checkpoint(state)
            context.emit(
                .retry(
                    item: context.item.id, stage: context.step.name, attempt: 1, delay: 0,
                    reason: "\(mismatch); starting a new upload"))
            throw RestartUpload(reason: mismatch.description)
        } catch let error as APIError where error.httpStatus == 409 || error.httpStatus == 404 {
            state = ledger.state
            let stored = state.v2Upload?.partMD5s ?? [:]
            if error.httpStatus == 409, stored.count == plan.partCount {
                // A run completed it and was stopped before keeping that: every part was verified then.
                partMD5s = stored
            } else {
                state.v2Upload = nil
                try await context.checkpoint(state)
                throw RestartUpload(reason: "the multipart upload is closed or gone (\(error.code)); starting anew")
            }
        } catch {
            state = ledger.state
            throw error
        }
        state = ledger.state
        let ordered = (1...plan.partCount).compactMap { partMD5s[$0] }
        guard ordered.count == plan.partCount, let digest = FileDigest.multipart(partMD5s: ordered, size: size) else {
            throw context.failure(
                "the multipart upload ended without every part's MD5", expected: "\(plan.partCount) parts",
                seen: "\(ordered.count)", code: .unexpectedAnswer)
        }
        // Each part's MD5 was compared with the ETag the platform answered for it: the whole matches too.
        return (digest, digest)
    }

    /// The upload must start again on a new upload (a refused link, a changed file, a closed upload).
    struct RestartUpload: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }
}

/// The item's state while parts finish in parallel: each verified part is added and the state written to
/// the journal, so that a killed run does not send it again.
final class PartLedger: Sendable {
    private let current: Mutex<ItemState>

    init(_ state: ItemState) { current = Mutex(state) }

    /// The state with `part`'s MD5 recorded.
    func record(part: Int, md5: String) -> ItemState {
        current.withLock { state in
            var parts = state.v2Upload?.partMD5s ?? [:]
            parts[part] = md5
            state.v2Upload?.partMD5s = parts
            return state
        }
    }

    /// The state as it stands.
    var state: ItemState { current.withLock { $0 } }
}
