import Foundation
import JWPlatform

/// A media as the v2 API shows it (the official Go client's `MediaResource`): `id`, `type`, `created`,
/// `last_modified`, `status`, `error_message`, `duration`, `external_id`, and `metadata`.
enum V2MediaTree {
    /// `created` until a file arrives (`processing` while a fetch runs), `processing` for the sandbox's
    /// processing time after, then `ready`, or `failed` for a file under 2 s or not media.
    static func status(of asset: SandboxAsset, _ context: SandboxContext) -> String {
        if asset.uploadedAt == nil && asset.fetchPending && asset.failure == nil { return "processing" }
        return VideoCalls.status(of: asset, context)
    }

    /// The media object of `asset`.
    static func object(of asset: SandboxAsset, _ context: SandboxContext) -> APIObject {
        let status = status(of: asset, context)
        let modified = [asset.createdAt, asset.uploadedAt, asset.modifiedAt].compactMap { $0 }.max() ?? asset.createdAt
        func text(_ value: String?) -> APIValue { value.map(APIValue.string) ?? .null }
        var metadata = APIObject()
        metadata["title"] = text(asset.title)
        metadata["description"] = text(asset.description)
        metadata["author"] = text(asset.author)
        metadata["permalink"] = text(asset.link)
        metadata["category"] = text(asset.category)
        metadata["tags"] = .array(asset.tags.map(APIValue.string))
        metadata["custom_params"] = .object(
            APIObject(asset.custom.sorted { $0.key < $1.key }.map { ($0.key, APIValue.string($0.value)) }))
        metadata["external_id"] = text(asset.externalID)
        metadata["publish_start_date"] = asset.date.map { .string(V2Timestamps.iso8601(unix: $0)) } ?? .null
        metadata["publish_end_date"] = asset.publishEndDate.map { .string(V2Timestamps.iso8601(unix: $0)) } ?? .null
        var object = APIObject()
        object["id"] = .string(asset.key)
        object["type"] = "media"
        object["created"] = .string(V2Timestamps.iso8601(asset.createdAt))
        object["last_modified"] = .string(V2Timestamps.iso8601(modified))
        object["status"] = .string(status)
        object["error_message"] = status == "failed" ? text(asset.failure) : .null
        object["duration"] =
            status == "ready" || status == "failed" ? asset.duration.map(APIValue.double) ?? .null : .null
        object["external_id"] = text(asset.externalID)
        object["media_type"] = "video"
        object["hosting_type"] = "hosted"
        object["relationships"] = .object(APIObject())
        object["metadata"] = .object(metadata)
        return object
    }
}
