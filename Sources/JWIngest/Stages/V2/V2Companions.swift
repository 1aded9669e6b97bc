import Foundation
import JWPlatform

/// `thumbnail` and `tracks` on v2: each companion is created as its own resource, sent by a direct
/// upload whose `ETag` must be the file's MD5, and, for a thumbnail, made the media's poster.
///
/// Unlike v1, v2 can list and delete a media's text tracks: a track whose create was sent but whose
/// answer was lost is looked for by its kind, language and label, and one whose file cannot be sent any
/// more (its link spent or lost) is deleted and created anew, so a media never ends with two.
enum V2Companions {
    /// Sends the item's thumbnail and makes it the media's poster.
    static func thumbnail(_ state: inout ItemState, _ context: StageContext, _ client: V2Client) async throws {
        guard context.item.kind == .video, let thumbnail = context.item.thumbnail, !state.thumbnailDone else { return }
        guard let mediaID = state.mediaKey else {
            throw context.failure("no media to attach to; put create first", code: .pipeline)
        }
        let size = try UploadStage.size(of: thumbnail, context)
        let verdict: @Sendable (any Error) -> RetryEngine.Verdict = { error in
            if error is FileReadError { return .fail }
            return error is SpentLink ? .retryNow : .usePolicy
        }
        _ = try await context.retrying("send the thumbnail \(thumbnail.lastPathComponent)", verdict: verdict) {
            _ in
            let pending: V2CompanionUpload
            if let known = state.v2Thumbnail {
                pending = known
            } else {
                pending = try await context.retrying(
                    "create the thumbnail", verdict: RetryEngine.onlyWhenSurelyNotRun
                ) { _ in try await client.createThumbnail(mediaID: mediaID) }
                state.v2Thumbnail = pending
                try await context.checkpoint(state)
            }
            return try await put(thumbnail, size: size, to: pending.link, what: "thumbnail", &state.v2Thumbnail, client)
        }
        guard let thumbnailID = state.v2Thumbnail?.id else { return }
        try await context.retrying("make the thumbnail the media's poster") { _ in
            try await client.makePoster(thumbnailID: thumbnailID, mediaID: mediaID)
        }
        state.thumbnailDone = true
        state.v2Thumbnail = nil
    }

    /// Creates and sends every track of the item that the state does not show as sent.
    static func tracks(_ state: inout ItemState, _ context: StageContext, _ client: V2Client) async throws {
        guard context.item.kind == .video, !context.item.tracks.isEmpty else { return }
        guard let mediaID = state.mediaKey else {
            throw context.failure("no media to attach to; put create first", code: .pipeline)
        }
        for track in context.item.tracks where !state.tracksUploaded.contains(track.identity) {
            let size = try UploadStage.size(of: track.file, context)
            let what = "\(track.metadata.kind) track \(track.file.lastPathComponent)"
            if state.tracksPending.contains(track.identity), state.trackKeys[track.identity] == nil {
                try await settleLostCreate(track, mediaID: mediaID, &state, context, client)
                if state.tracksUploaded.contains(track.identity) { continue }
            }
            let verdict: @Sendable (any Error) -> RetryEngine.Verdict = { error in
                if error is FileReadError { return .fail }
                return error is SpentLink ? .retryNow : .usePolicy
            }
            _ = try await context.retrying("send the \(what)", verdict: verdict) { _ in
                if state.trackKeys[track.identity] == nil || state.v2TrackLinks?[track.identity] == nil {
                    try await create(track, mediaID: mediaID, &state, context, client)
                }
                var link: V2CompanionUpload? = state.v2TrackLinks?[track.identity].map {
                    V2CompanionUpload(id: state.trackKeys[track.identity] ?? "", link: $0)
                }
                do {
                    return try await put(track.file, size: size, to: link?.link ?? "", what: what, &link, client)
                } catch let spent as SpentLink {
                    // The track cannot take its file any more: it is deleted, and made again next attempt.
                    if let key = state.trackKeys[track.identity] {
                        try await context.retrying("delete the track \(key)") { _ in
                            try await client.deleteTextTrack(mediaID: mediaID, trackID: key)
                        }
                    }
                    state.trackKeys[track.identity] = nil
                    state.v2TrackLinks?[track.identity] = nil
                    try await context.checkpoint(state)
                    throw spent
                }
            }
            state.tracksUploaded.insert(track.identity)
            state.v2TrackLinks?[track.identity] = nil
        }
    }

    /// Creates `track` on the media and keeps its id and link (recorded as pending before the call).
    static func create(
        _ track: TrackSpec, mediaID: String, _ state: inout ItemState, _ context: StageContext, _ client: V2Client
    ) async throws {
        state.tracksPending.insert(track.identity)
        try await context.checkpoint(state)
        let created: V2CompanionUpload
        do {
            created = try await context.retrying(
                "create the \(track.metadata.kind) track", verdict: RetryEngine.onlyWhenSurelyNotRun
            ) { _ in
                try await client.createTextTrack(
                    mediaID: mediaID, kind: track.metadata.kind, label: track.metadata.label,
                    language: track.metadata.language, format: format(of: track.file))
            }
        } catch {
            if APIClient.surelyNotExecuted(error) {
                state.tracksPending.remove(track.identity)
                try? await context.checkpoint(state)
            }
            throw error
        }
        state.trackKeys[track.identity] = created.id
        state.v2TrackLinks = (state.v2TrackLinks ?? [:]).merging([track.identity: created.link]) { $1 }
        state.tracksPending.remove(track.identity)
        try await context.checkpoint(state)
    }

    /// A track create sent by a run that stopped before keeping its answer: the media's tracks say whether
    /// it ran. One with its file is kept as sent; one without is deleted (its link was lost), so that the
    /// caller creates it anew.
    static func settleLostCreate(
        _ track: TrackSpec, mediaID: String, _ state: inout ItemState, _ context: StageContext, _ client: V2Client
    ) async throws {
        let listed = try await context.retrying("list the media's text tracks") { _ in
            try await client.textTracks(mediaID: mediaID)
        }
        let matching = listed.filter {
            $0.kind == track.metadata.kind && $0.language == track.metadata.language
                && ($0.label ?? "") == (track.metadata.label ?? $0.label ?? "")
        }
        if let done = matching.first(where: { $0.status == "ready" }) {
            state.trackKeys[track.identity] = done.id
            state.tracksUploaded.insert(track.identity)
        } else {
            for stale in matching {
                try await context.retrying("delete the track \(stale.id), which never received its file") { _ in
                    try await client.deleteTextTrack(mediaID: mediaID, trackID: stale.id)
                }
            }
        }
        state.tracksPending.remove(track.identity)
        try await context.checkpoint(state)
    }

    /// `PUT`s `file` to `link` and checks the `ETag`; a refused link or another stored MD5 clears `pending`
    /// and throws ``SpentLink`` (a presigned link is good for one upload).
    static func put(
        _ file: URL, size: Int64, to link: String, what: String, _ pending: inout V2CompanionUpload?,
        _ client: V2Client
    ) async throws -> FilePutResult {
        guard !link.isEmpty else {
            pending = nil
            throw SpentLink(reason: "the \(what) has no upload link")
        }
        let result: FilePutResult
        do {
            result = try await client.put(.whole(file, size: size), to: link)
        } catch let refused as UploadRejectedError where refused.status == 403 || refused.status == 404 {
            pending = nil
            throw SpentLink(reason: "the \(what)'s upload link was refused (HTTP \(refused.status))")
        }
        guard result.matches else {
            pending = nil
            throw SpentLink(
                reason:
                    "the server stored another \(what) than was sent (sent \(result.sent.md5), stored \(result.etag))")
        }
        return result
    }

    /// `vtt` or `srt`, from the file's first bytes (a UTF-8 BOM skipped), else from its extension.
    static func format(of file: URL) -> String {
        if let handle = FileHandle(forReadingAtPath: file.path) {
            defer { try? handle.close() }
            var head = Array((try? handle.read(upToCount: 16)) ?? Data())
            if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
            if head.starts(with: Array("WEBVTT".utf8)) { return "vtt" }
            if !head.isEmpty { return "srt" }
        }
        return file.pathExtension.lowercased() == "srt" ? "srt" : "vtt"
    }

    /// The companion's link is spent, refused, or stored other bytes: a new one is needed.
    struct SpentLink: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }
}
