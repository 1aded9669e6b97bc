import Foundation
import JWPlatform

/// The media calls of the v2 API: create, list, get, `PATCH`, `DELETE` and reupload, under
/// `/v2/sites/{site_id}/media/`.
enum V2MediaCalls {
    /// `POST /v2/sites/{site_id}/media/`: `201` with the media and its upload fields.
    static func create(_ body: APIObject?, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        // Everything is checked before the media exists, so a refused create leaves nothing behind.
        try V2RequestBody.allow(["upload", "metadata"], in: body)
        let upload = try V2UploadSpec(body?["upload"])
        let change = try V2MetadataChange(body?["metadata"])
        let context = endpoint.context
        let asset = await context.state.create(kind: "video", at: context.now) { asset in
            change.apply(to: &asset)
            asset.fetchPending = upload.method == .fetch
        }
        var object = V2MediaTree.object(of: asset, context)
        await startUpload(upload, mediaID: asset.key, endpoint, into: &object)
        return .json(201, .object(object))
    }

    /// `GET /v2/sites/{site_id}/media/`: `{media, page, page_length, total}`.
    static func list(_ query: APIParameters, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        try V2Endpoint.allowQuery(["page", "page_length", "q", "sort"], in: query)
        let paging = try V2ListPage(query)
        let filter = try V2MediaQuery(query["q"] ?? "")
        let context = endpoint.context
        let media = await context.state.allAssets().filter { asset in
            asset.kind == "video"
                && filter.matches { field in
                    switch field {
                    case "id": asset.key
                    case "external_id": asset.externalID
                    case "title": asset.title
                    case "status": V2MediaTree.status(of: asset, context)
                    default: nil
                    }
                }
        }
        return paging.reply("media", media) { V2MediaTree.object(of: $0, context) }
    }

    /// `GET /v2/sites/{site_id}/media/{id}/`.
    static func get(_ id: String, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        .json(200, .object(V2MediaTree.object(of: try await media(id, endpoint), endpoint.context)))
    }

    /// `PATCH /v2/sites/{site_id}/media/{id}/`: merges `metadata` into the media's.
    static func update(_ id: String, _ body: APIObject?, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        if body?["upload"] != nil {
            throw .invalidBody("upload", "a PATCH changes metadata only; send a new file with PUT …/reupload/")
        }
        try V2RequestBody.allow(["metadata"], in: body)
        let change = try V2MetadataChange(body?["metadata"])
        _ = try await media(id, endpoint)
        let now = endpoint.context.now
        let updated = try? await endpoint.context.state.update(id) { asset in
            change.apply(to: &asset)
            asset.modifiedAt = now
        }
        guard let updated else { throw .notFound("media \(id) does not exist") }
        return .json(200, .object(V2MediaTree.object(of: updated, endpoint.context)))
    }

    /// `DELETE /v2/sites/{site_id}/media/{id}/`: `204`; its files, links and uploads go with it, and so do
    /// its thumbnails and text tracks (v1's and v2's) with their files and links.
    static func delete(_ id: String, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        _ = try await media(id, endpoint)
        let removed = await endpoint.context.state.remove(id)
        guard !removed.isEmpty else { throw .notFound("media \(id) does not exist") }
        for path in removed.compactMap(\.storedPath) { try? FileManager.default.removeItem(atPath: path) }
        for part in await endpoint.uploads.remove(mediaID: id) {
            try? FileManager.default.removeItem(atPath: part.path)
        }
        return .noContent
    }

    /// `PUT` (or `POST`) `/v2/sites/{site_id}/media/{id}/reupload/`: a new upload for the media, answered
    /// `200` with the media and the new upload's fields. The media keeps its file and status until the new
    /// file arrives.
    static func reupload(_ id: String, _ body: APIObject?, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        try V2RequestBody.allow(["upload"], in: body)
        guard let uploadValue = body?["upload"] else { throw .invalidBody("upload", "is required") }
        let upload = try V2UploadSpec(uploadValue)
        var asset = try await media(id, endpoint)
        if upload.method == .fetch {
            let updated = try? await endpoint.context.state.update(id) { $0.fetchPending = true }
            guard let updated else { throw .notFound("media \(id) does not exist") }
            asset = updated
        }
        var object = V2MediaTree.object(of: asset, endpoint.context)
        await startUpload(upload, mediaID: id, endpoint, into: &object)
        return .json(200, .object(object))
    }

    // MARK: Shared pieces

    /// The video `id`, or `404 not_found`.
    static func media(_ id: String, _ endpoint: V2Endpoint) async throws(V2Error) -> SandboxAsset {
        guard let asset = await endpoint.context.state.asset(id), asset.kind == "video" else {
            throw .notFound("media \(id) does not exist")
        }
        return asset
    }

    /// Opens the upload `spec` asks for and adds its fields to `object`: `upload_link` (direct),
    /// `upload_id` and `upload_token` (multipart), or nothing (a fetch, which starts).
    static func startUpload(
        _ spec: V2UploadSpec, mediaID: String, _ endpoint: V2Endpoint, into object: inout APIObject
    ) async {
        let context = endpoint.context
        switch spec.method {
        case .direct:
            let grant = await context.state.grant(assetKey: mediaID, segment: V2Endpoint.directSegment, at: context.now)
            object["upload_link"] = .string(
                endpoint.signer.link(
                    scheme: context.scheme, path: V2Endpoint.directPath(token: grant.token), address: context.address,
                    mimeType: spec.mimeType, at: context.now))
        case .multipart:
            let grant = await context.state.grant(
                assetKey: mediaID, segment: V2Endpoint.multipartSegment, at: context.now)
            let upload = await endpoint.uploads.open(mediaID: mediaID, grantToken: grant.token)
            object["upload_id"] = .string(upload.id)
            object["upload_token"] = .string(upload.token)
        case .fetch:
            if let source = spec.downloadURL { DownloadFetcher.start(source, assetKey: mediaID, context: context) }
        }
    }
}
