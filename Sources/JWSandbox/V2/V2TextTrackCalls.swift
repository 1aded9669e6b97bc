import Foundation
import JWPlatform

/// The text track calls of the v2 API under `/v2/sites/{site_id}/media/{media_id}/text_tracks/`: create
/// (with a direct upload link for the file), list, get, `PATCH` of the metadata, and `DELETE`.
///
/// A text track is a ``SandboxAsset`` of kind `track` whose ``SandboxAsset/videoKey`` is its media, as v1's:
/// `track_kind` is ``SandboxAsset/trackKind``, `label` ``SandboxAsset/label``, `srclang`
/// ``SandboxAsset/language``.
enum V2TextTrackCalls {
    /// The most text tracks a media has (docs.jwplayer.com "Add text tracks").
    static let limit = 50

    /// The `track_kind` values taken.
    static let kinds = ["captions", "chapters", "subtitles", "descriptions", "metadata"]

    /// `POST /v2/sites/{site_id}/media/{media_id}/text_tracks/` with `{"metadata": {"label"?, "srclang"?,
    /// "track_kind"}, "upload": {"method": "direct", "file_format": "vtt"|"srt", "mime_type"?}}`: `201` with
    /// the track (`status` `created`) and its `upload_link`.
    ///
    /// - Throws: ``V2Error`` `404` for an unknown media, `400 invalid_body` naming the field, `400
    ///   too_many_text_tracks` when the media has ``limit`` tracks.
    static func create(_ mediaID: String, _ body: APIObject?, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        _ = try await V2MediaCalls.media(mediaID, endpoint)
        try V2RequestBody.allow(["metadata", "upload"], in: body)
        let metadata = try V2TextTrackMetadata(body?["metadata"], creating: true)
        let upload = try V2CompanionUploadSpec(body?["upload"], formats: V2CompanionCheck.trackFormats)
        let context = endpoint.context
        let creation = await context.state.createDependent(
            kind: "track", of: mediaID, limit: limit, at: context.now
        ) { asset in
            metadata.apply(to: &asset)
            asset.fileFormat = upload.fileFormat
        }
        let asset: SandboxAsset
        switch creation {
        case .created(let created): asset = created
        case .noVideo: throw .notFound("media \(mediaID) does not exist")
        case .full(let limit):
            throw V2Error(400, "too_many_text_tracks", "media \(mediaID) has \(limit) text tracks, the most it takes")
        }
        var object = V2CompanionTree.textTrack(asset)
        object["upload_link"] = .string(
            await V2CompanionFile.link(
                assetKey: asset.key, segment: V2CompanionFile.textTrackSegment, mimeType: upload.mimeType, endpoint))
        return .json(201, .object(object))
    }

    /// `GET /v2/sites/{site_id}/media/{media_id}/text_tracks/?page=&page_length=&sort=`:
    /// `{text_tracks, page, page_length, total}`.
    static func list(
        _ mediaID: String, _ query: APIParameters, _ endpoint: V2Endpoint
    ) async throws(V2Error)
        -> V2Reply
    {
        try V2Endpoint.allowQuery(["page", "page_length", "sort"], in: query)
        let paging = try V2ListPage(query)
        _ = try await V2MediaCalls.media(mediaID, endpoint)
        let tracks = await endpoint.context.state.dependents(of: mediaID, kind: "track")
        return paging.reply("text_tracks", tracks, V2CompanionTree.textTrack)
    }

    /// `GET /v2/sites/{site_id}/media/{media_id}/text_tracks/{id}/`.
    static func get(_ mediaID: String, _ id: String, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        .json(200, .object(V2CompanionTree.textTrack(try await track(mediaID, id, endpoint))))
    }

    /// `PATCH /v2/sites/{site_id}/media/{media_id}/text_tracks/{id}/` with `{"metadata": {"label"?,
    /// "srclang"?, "track_kind"?}}`: merges them into the track's; `200` with the track.
    ///
    /// - Throws: ``V2Error`` `400 invalid_body` naming the field (`upload`: a new file needs a new track),
    ///   `404` for an unknown media or track.
    static func update(
        _ mediaID: String, _ id: String, _ body: APIObject?, _ endpoint: V2Endpoint
    ) async throws(V2Error) -> V2Reply {
        if body?["upload"] != nil {
            throw .invalidBody("upload", "a PATCH changes metadata only; create a new text track for a new file")
        }
        try V2RequestBody.allow(["metadata"], in: body)
        let metadata = try V2TextTrackMetadata(body?["metadata"], creating: false)
        _ = try await track(mediaID, id, endpoint)
        let now = endpoint.context.now
        let updated = try? await endpoint.context.state.update(id) { asset in
            metadata.apply(to: &asset)
            asset.modifiedAt = now
        }
        guard let updated else { throw .notFound("text track \(id) does not exist") }
        return .json(200, .object(V2CompanionTree.textTrack(updated)))
    }

    /// `DELETE /v2/sites/{site_id}/media/{media_id}/text_tracks/{id}/`: `204`; its file and link go with it.
    static func delete(_ mediaID: String, _ id: String, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        _ = try await track(mediaID, id, endpoint)
        let removed = await endpoint.context.state.remove(id)
        guard !removed.isEmpty else { throw .notFound("text track \(id) does not exist") }
        for path in removed.compactMap(\.storedPath) { try? FileManager.default.removeItem(atPath: path) }
        return .noContent
    }

    /// The text track `id` of the media `mediaID`, or `404 not_found`.
    static func track(_ mediaID: String, _ id: String, _ endpoint: V2Endpoint) async throws(V2Error) -> SandboxAsset {
        _ = try await V2MediaCalls.media(mediaID, endpoint)
        guard let asset = await endpoint.context.state.asset(id), asset.kind == "track", asset.videoKey == mediaID
        else { throw .notFound("text track \(id) of media \(mediaID) does not exist") }
        return asset
    }
}
