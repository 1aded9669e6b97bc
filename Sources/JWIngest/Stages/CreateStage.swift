import Foundation
import JWPlatform

/// `create`: creates the asset and keeps its key and upload link. Every video carries
/// `custom.ingest_id` (the item's id); when a create may have run although its answer was lost, the next
/// attempt first looks for that id and adopts the video it finds, so a retry never makes a second one.
/// On v2 a video goes through the v2 media resource (see the README); images and skins stay on v1.
public struct CreateStage: Stage {
    /// The stage's name in pipelines, events and reports.
    public let name = "create"

    /// Creates the stage.
    public init() {}

    /// The custom field that ties an asset to its manifest item.
    public static let ingestIDField = "ingest_id"

    /// Does the stage's work for one item; see the type's discussion.
    @discardableResult
    public func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome {
        if let v2 = context.v2 {
            if context.item.kind == .video { return try await V2Create.run(&state, context, v2) }
            // Account images and skins have no v2 resource: they go through v1, with v1's credentials.
            if context.client.signer.credentials.secret.isEmpty {
                throw context.failure(
                    "a \(context.item.kind) has no v2 resource and goes through v1, which needs JW_API_KEY and "
                        + "JW_API_SECRET (or key and secret in the credentials file) besides the v2 ones",
                    code: .invalidItem)
            }
        }
        if let key = state.mediaKey {
            if let update = state.pendingUpdate { try await Self.apply(update, to: key, &state, context) }
            return .done
        }
        try await Self.ensureAsset(&state, context)
        return .done
    }

    /// Gives the state an asset: the one a stopped run created (found by `custom.ingest_id` when the
    /// journal says a create was sent and its answer not kept), else a new one. The create is recorded
    /// as sent in the journal before it goes out; its answer is written by the runner when the stage ends.
    static func ensureAsset(_ state: inout ItemState, _ context: StageContext) async throws {
        guard state.mediaKey == nil else { return }
        let item = context.item
        if state.createPending {
            guard item.kind == .video else {
                // An image or a skin cannot be looked for: whether the lost create ran cannot be known here.
                throw context.failure(
                    "a run stopped after asking the platform to create the \(item.kind) "
                        + "\(item.file?.lastPathComponent ?? item.id) and before its answer was kept: the account may "
                        + "already have it. Check the account's \(item.kind)s (delete it if it is there), then run "
                        + "with --forget-pending-creates to create it again", code: .pendingCreate)
            }
            if let adopted = try await adopt(context) {
                state.mediaKey = adopted.key
                state.createPending = false
                try await context.checkpoint(state)
                return
            }
        }
        state.createPending = true
        try await context.checkpoint(state)
        let answer: Created
        do {
            answer = try await create(context)
        } catch {
            // Refused before it ran (a 429, a 503, no connection): nothing to look for later. A video's
            // earlier attempts may have run, so it stays pending and is looked for by its ingest id.
            if item.kind != .video, APIClient.surelyNotExecuted(error) {
                state.createPending = false
                try? await context.checkpoint(state)
            }
            throw error
        }
        state.mediaKey = answer.key
        state.uploadLink = answer.link
        state.linkIssuedAt = answer.link == nil ? nil : Date()
        state.createPending = false
        // Not written here: the stage ends now, and the runner writes the state, key and link included, before
        // any later stage calls the network (the create was recorded as sent before it went out).
    }

    /// Brings an existing asset up to a changed item: new metadata through the update call; a changed
    /// file is left to `upload`, which gets a new link for it.
    static func apply(
        _ update: ItemState.PendingUpdate, to key: String, _ state: inout ItemState, _ context: StageContext
    ) async throws {
        let item = context.item
        let client = context.client
        if update.metadata, item.kind == .video {
            var metadata = item.metadata
            metadata.custom.append(APIParameters.Parameter(name: ingestIDField, value: item.id))
            let changed = metadata
            _ = try await context.retrying("update the video's metadata") { _ in
                try await client.updateVideo(key: key, changed)
            }
        }
        if update.file {
            state.uploadLink = nil
            state.linkIssuedAt = nil
            state.sent = nil
            state.received = nil
            state.verified = false
            // The new file will be processed anew: an earlier `ready` says nothing of it.
            state.remoteStatus = nil
        }
        state.pendingUpdate = nil
    }

    /// What a create produced: the key, and a link unless the asset was adopted or fetches its own media.
    struct Created: Sendable {
        var key: String
        var link: UploadLink?
    }

    /// Creates the item's asset, adopting a video created by an earlier attempt whose answer was lost.
    static func create(_ context: StageContext) async throws -> Created {
        let item = context.item
        let client = context.client
        // A video that may have been created by a failed attempt is found again by its ingest_id; other
        // kinds cannot be searched, so their create is repeated only when it surely did not run.
        let verdict: @Sendable (any Error) -> RetryEngine.Verdict =
            item.kind == .video ? RetryEngine.policyDecides : RetryEngine.onlyWhenSurelyNotRun
        return try await context.retrying("create \(item.kind)", verdict: verdict) { attempt in
            if attempt > 1, item.kind == .video, let adopted = try await adopt(context) { return adopted }
            let answer: CreateAnswer
            switch item.kind {
            case .video:
                var metadata = item.metadata
                metadata.custom.append(APIParameters.Parameter(name: ingestIDField, value: item.id))
                var extra = APIParameters()
                if case .url(let address) = item.source { extra.append("download_url", address) }
                answer = try await client.createVideo(metadata, method: context.options.uploadMethod, extra: extra)
            default:
                var parameters = APIParameters()
                if let title = item.metadata.title { parameters.append("name", title) }
                answer = try await client.requestUploadLink(item.kind.target, parameters: parameters)
            }
            guard let key = answer.media?.key else {
                throw context.failure(
                    "the create answer has no media key", expected: "media.key", seen: "nothing",
                    code: .unexpectedAnswer)
            }
            if case .file = item.source, answer.link == nil {
                throw context.failure(
                    "the create answer has no upload link", expected: "a link block", seen: "nothing",
                    code: .unexpectedAnswer)
            }
            return Created(key: key, link: answer.link)
        }
    }

    /// The video an earlier attempt created for this item, if any. One that never received a file is of
    /// no use without the link its lost answer carried: it is deleted, and `nil` makes the caller create anew.
    static func adopt(_ context: StageContext) async throws -> Created? {
        let client = context.client
        let id = context.item.id
        // The search is a text search (`a1` also finds `a10`): every page is read, and only an exact
        // ingest id counts.
        let matches = try await context.retrying("look for the video by its ingest_id") { _ in
            var found: [VideoDetails] = []
            try await client.forEachVideoPage(search: [("custom.\(ingestIDField)", id)]) { page in
                found += page.filter { $0.custom[ingestIDField] == id }
            }
            return found
        }
        guard let video = matches.first(where: { $0.status != .created }) ?? matches.first else { return nil }
        if video.status == .created {
            try await context.client.deleteVideo(key: video.key)
            return nil
        }
        return Created(key: video.key, link: nil)
    }
}
