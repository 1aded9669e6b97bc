import Foundation
import JWPlatform

/// The thumbnail calls of the v2 API under `/v2/sites/{site_id}/thumbnails/`: create (with a direct
/// upload link for the image), list (`q=media_id: <id>`), get, `PATCH` (make it the media's poster) and
/// `DELETE`.
///
/// A thumbnail is a ``SandboxAsset`` of kind `thumbnail` whose ``SandboxAsset/videoKey`` is its media;
/// ``SandboxAsset/poster`` says whether it is the media's poster (at most one is).
enum V2ThumbnailCalls {
    /// The fields a thumbnail list's `q` may name.
    static let queryFields = ["id", "media_id", "status"]

    /// `POST /v2/sites/{site_id}/thumbnails/` with `{"relationships": {"media": [{"id"}]}, "upload":
    /// {"method": "direct", "mime_type"?}}`: `201` with the thumbnail (`status` `created`) and its
    /// `upload_link`. Other members (`thumbnail_type`, …) are accepted and ignored.
    ///
    /// - Throws: ``V2Error`` `400 invalid_body` naming the field, `404` for an unknown media.
    static func create(_ body: APIObject?, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        let relation = try V2MediaRelation(body, requiresID: true)
        let upload = try V2CompanionUploadSpec(body?["upload"], formats: nil)
        guard let mediaID = relation.mediaID else { throw .invalidBody("relationships.media[0].id", "is required") }
        let context = endpoint.context
        let creation = await context.state.createDependent(kind: "thumbnail", of: mediaID, limit: nil, at: context.now)
        guard case .created(let asset) = creation else { throw .notFound("media \(mediaID) does not exist") }
        var object = V2CompanionTree.thumbnail(asset)
        object["upload_link"] = .string(
            await V2CompanionFile.link(
                assetKey: asset.key, segment: V2CompanionFile.thumbnailSegment, mimeType: upload.mimeType, endpoint))
        return .json(201, .object(object))
    }

    /// `GET /v2/sites/{site_id}/thumbnails/?q=media_id: <id>&page=&page_length=&sort=`:
    /// `{thumbnails, page, page_length, total}`; `q` may name `media_id`, `id` and `status`.
    static func list(_ query: APIParameters, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        try V2Endpoint.allowQuery(["page", "page_length", "q", "sort"], in: query)
        let paging = try V2ListPage(query)
        let filter = try V2MediaQuery(query["q"] ?? "", fields: queryFields)
        let thumbnails = await endpoint.context.state.allAssets().filter { asset in
            asset.kind == "thumbnail"
                && filter.matches { field in
                    switch field {
                    case "id": asset.key
                    case "media_id": asset.videoKey
                    case "status": V2CompanionTree.status(of: asset)
                    default: nil
                    }
                }
        }
        return paging.reply("thumbnails", thumbnails, V2CompanionTree.thumbnail)
    }

    /// `GET /v2/sites/{site_id}/thumbnails/{id}/`.
    static func get(_ id: String, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        .json(200, .object(V2CompanionTree.thumbnail(try await thumbnail(id, endpoint))))
    }

    /// `PATCH /v2/sites/{site_id}/thumbnails/{id}/` with `{"relationships": {"media": [{"id"?, "is_poster":
    /// true}]}}`: makes the thumbnail its media's poster (the previous poster stops being it); `false` makes
    /// it stop being the poster. `200` with the thumbnail.
    ///
    /// - Throws: ``V2Error`` `400 invalid_body` naming the field (an `id` of another media included),
    ///   `404` for an unknown thumbnail, `409 conflict` when the thumbnail has no image yet (or its image
    ///   failed).
    static func update(_ id: String, _ body: APIObject?, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        let relation = try V2MediaRelation(body, requiresID: false)
        let current = try await thumbnail(id, endpoint)
        if let mediaID = relation.mediaID, mediaID != current.videoKey {
            throw .invalidBody(
                "relationships.media[0].id", "thumbnail \(id) belongs to media \(current.videoKey ?? "none")")
        }
        guard let isPoster = relation.isPoster else { return .json(200, .object(V2CompanionTree.thumbnail(current))) }
        switch await endpoint.context.state.setPoster(id, isPoster, at: endpoint.context.now) {
        case .changed(let asset): return .json(200, .object(V2CompanionTree.thumbnail(asset)))
        case .noThumbnail: throw .notFound("thumbnail \(id) does not exist")
        case .noImage(let failure?): throw .conflict("the thumbnail's image failed (\(failure)); it cannot be a poster")
        case .noImage(nil): throw .conflict("the thumbnail has no image yet; PUT it to its upload_link first")
        }
    }

    /// `DELETE /v2/sites/{site_id}/thumbnails/{id}/`: `204`; its file and link go with it (a poster so
    /// deleted leaves its media without one).
    static func delete(_ id: String, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        _ = try await thumbnail(id, endpoint)
        let removed = await endpoint.context.state.remove(id)
        guard !removed.isEmpty else { throw .notFound("thumbnail \(id) does not exist") }
        for path in removed.compactMap(\.storedPath) { try? FileManager.default.removeItem(atPath: path) }
        return .noContent
    }

    // MARK: Shared pieces

    /// The thumbnail `id`, or `404 not_found`.
    static func thumbnail(_ id: String, _ endpoint: V2Endpoint) async throws(V2Error) -> SandboxAsset {
        guard let asset = await endpoint.context.state.asset(id), asset.kind == "thumbnail" else {
            throw .notFound("thumbnail \(id) does not exist")
        }
        return asset
    }
}
