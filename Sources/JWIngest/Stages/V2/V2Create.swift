import Foundation
import JWPlatform

/// `create` on v2: creates the media with the item's metadata and `metadata.external_id` set to the
/// item's id, and opens its upload (`direct` under the multipart threshold, `multipart` from it, `fetch`
/// for a `url:` item). As on v1, the create is recorded as sent before it goes out; a run that lost its
/// answer looks for the media by `external_id` and adopts it instead of creating a second one.
enum V2Create {
    static func run(
        _ state: inout ItemState, _ context: StageContext, _ client: V2Client
    ) async throws
        -> StageOutcome
    {
        if let key = state.mediaKey {
            if let update = state.pendingUpdate { try await apply(update, to: key, &state, context, client) }
            return .done
        }
        if state.createPending {
            if let adopted = try await adopt(context, client) {
                state.mediaKey = adopted
                state.createPending = false
                try await context.checkpoint(state)
                return .done
            }
        }
        let upload = try request(&state, context)
        state.createPending = true
        try await context.checkpoint(state)
        let metadata = context.item.metadata.v2Metadata(externalID: context.item.id)
        let created = try await context.retrying("create the media") { attempt -> V2MediaUpload? in
            // An attempt whose answer was lost may have created it: look first, create only if absent.
            if attempt > 1, let adopted = try await adopt(context, client) {
                state.mediaKey = adopted
                return nil
            }
            return try await client.createMedia(metadata: metadata, upload: upload.request)
        }
        if let created {
            state.mediaKey = created.media.id
            state.v2Upload = uploadState(created.target, partSize: upload.partSize)
        }
        state.createPending = false
        // The runner writes the media's id and upload when the stage ends, before any later call.
        return .done
    }

    /// What upload a file asks for, and the part size of a multipart one.
    struct Request {
        var request: V2UploadRequest
        var partSize: Int64?
    }

    /// The upload the item's source calls for: a URL is fetched; a file under the threshold is one direct
    /// `PUT`, a larger one a multipart upload planned now (a file over 25 GB fails here, before any create).
    static func request(_ state: inout ItemState, _ context: StageContext) throws -> Request {
        switch context.item.source {
        case .url(let address):
            return Request(request: .fetch(url: address), partSize: nil)
        case .file(let file):
            let size = try state.fileSize ?? UploadStage.size(of: file, context)
            state.fileSize = size
            guard size >= context.options.multipartThreshold else { return Request(request: .direct, partSize: nil) }
            do {
                let plan = try MultipartPlan(fileSize: size, partSize: context.options.partSize)
                return Request(request: .multipart, partSize: plan.partSize)
            } catch {
                throw context.failure("\(error)", code: .invalidItem)
            }
        }
    }

    /// The state of an upload the platform opened.
    static func uploadState(_ target: V2UploadTarget, partSize: Int64?) -> V2UploadState? {
        switch target {
        case .direct(let link): return .direct(link)
        case .multipart(let upload):
            return .multipart(upload, partSize: partSize ?? ManifestOptions.defaultPartSize)
        case .fetch: return nil
        }
    }

    /// Brings an existing media up to a changed item: its metadata by `PATCH`; a changed file is left to
    /// `upload`, which opens a new upload for it.
    static func apply(
        _ update: ItemState.PendingUpdate, to key: String, _ state: inout ItemState, _ context: StageContext,
        _ client: V2Client
    ) async throws {
        if update.metadata {
            let metadata = context.item.metadata.v2Metadata(externalID: context.item.id)
            try await context.retrying("update the media's metadata") { _ in
                try await client.updateMedia(id: key, metadata: metadata)
            }
        }
        if update.file {
            state.v2Upload = nil
            state.sent = nil
            state.received = nil
            state.verified = false
            state.remoteStatus = nil
        }
        state.pendingUpdate = nil
    }

    /// The media an earlier attempt created for this item (found by `external_id`), if any. One that never
    /// received a file is of no use without the upload its lost answer carried: it is deleted, and `nil`
    /// makes the caller create anew.
    static func adopt(_ context: StageContext, _ client: V2Client) async throws -> String? {
        let id = context.item.id
        let matches = try await context.retrying("look for the media by its external_id") { _ in
            var found: [V2Media] = []
            try await client.forEachMediaPage(query: "external_id: \"\(queryEscaped(id))\"") { page in
                found += page.filter { $0.externalID == id }
            }
            return found
        }
        guard let media = matches.first(where: { $0.status != "created" }) ?? matches.first else { return nil }
        if media.status == "created" {
            try await context.retrying("delete media \(media.id), which never received its file") { _ in
                try await client.deleteMedia(id: media.id)
            }
            return nil
        }
        return media.id
    }

    /// `text` inside the quotes of a v2 `q` term: `\`, `"` and `*` escaped.
    static func queryEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "\\" || character == "\"" || character == "*" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
