import Foundation
import JWPlatform

/// A thumbnail and a text track as the v2 API shows them (the official Go client's `ThumbnailResource` and
/// `TextTrackResource`): `id`, `type`, `created`, `last_modified`, `status`, `error_message`,
/// `delivery_url`, and the thumbnail's `relationships.media` or the track's `metadata`.
///
/// Both are ``SandboxAsset`` values of kind `thumbnail` or `track` whose ``SandboxAsset/videoKey`` is the
/// media id, as v1's are, so `/_sandbox/assets` lists them alike.
enum V2CompanionTree {
    /// `created` until the file arrives, then `ready`, or `failed` when the file is not what it should be
    /// (images and text tracks need no processing).
    static func status(of asset: SandboxAsset) -> String {
        guard asset.uploadedAt != nil else { return "created" }
        return asset.failure == nil ? "ready" : "failed"
    }

    /// The fields both objects share.
    private static func common(_ asset: SandboxAsset, type: String) -> APIObject {
        let status = status(of: asset)
        let modified = [asset.createdAt, asset.uploadedAt, asset.modifiedAt].compactMap { $0 }.max() ?? asset.createdAt
        var object = APIObject()
        object["id"] = .string(asset.key)
        object["type"] = .string(type)
        object["created"] = .string(V2Timestamps.iso8601(asset.createdAt))
        object["last_modified"] = .string(V2Timestamps.iso8601(modified))
        object["status"] = .string(status)
        object["error_message"] = status == "failed" ? asset.failure.map(APIValue.string) ?? .null : .null
        // The sandbox serves no images or tracks back.
        object["delivery_url"] = .null
        return object
    }

    /// The thumbnail object of `asset`: `relationships.media` is `[{"id", "is_poster"}]`.
    static func thumbnail(_ asset: SandboxAsset) -> APIObject {
        var object = common(asset, type: "thumbnail")
        object["thumbnail_type"] = "static"
        object["source_type"] = "custom_upload"
        var media = APIObject()
        media["id"] = asset.videoKey.map(APIValue.string) ?? .null
        media["is_poster"] = .bool(asset.poster)
        object["relationships"] = ["media": [.object(media)]]
        return object
    }

    /// The text track object of `asset`: `metadata` is `{"label", "srclang", "track_kind"}`.
    static func textTrack(_ asset: SandboxAsset) -> APIObject {
        var object = common(asset, type: "text_track")
        func text(_ value: String?) -> APIValue { value.map(APIValue.string) ?? .null }
        var metadata = APIObject()
        metadata["label"] = text(asset.label)
        metadata["srclang"] = text(asset.language)
        metadata["track_kind"] = text(asset.trackKind)
        object["metadata"] = .object(metadata)
        object["file_format"] = text(asset.fileFormat)
        return object
    }
}
