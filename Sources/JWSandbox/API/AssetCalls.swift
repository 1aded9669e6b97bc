import Foundation
import JWPlatform

/// `/videos/thumbnails/update`, `/videos/tracks/create`, `/accounts/images/create|update`,
/// `/accounts/skins/create|update`: the other four upload targets.
enum AssetCalls {
    static func updateThumbnail(_ parameters: APIParameters, _ context: SandboxContext) async throws -> APIValue {
        let videoKey = try VideoCalls.requiredKey("video_key", parameters)
        guard let video = await context.state.asset(videoKey), video.kind == "video" else {
            throw SandboxError.notFound("video_key", videoKey)
        }
        if let position = parameters["position"] {
            guard let seconds = Double(position), seconds >= 0 else {
                throw SandboxError.invalid("position", "not a number of seconds")
            }
            return ["video": ["key": .string(videoKey)]]
        }
        if parameters["thumbnail_index"] != nil { return ["video": ["key": .string(videoKey)]] }
        // One thumbnail asset per video: asking again gives a new link to the same asset, never a second one.
        var thumbnail = SandboxAsset(key: "\(videoKey)-thumb", kind: "thumbnail", createdAt: context.now)
        thumbnail.videoKey = videoKey
        let thumbnailKey = await context.state.insertIfAbsent(thumbnail).key
        let link = await context.uploadLink(segment: "videos/thumbnails", assetKey: thumbnailKey)
        return ["video": ["key": .string(videoKey)], "link": link]
    }

    static func createTrack(_ parameters: APIParameters, _ context: SandboxContext) async throws -> APIValue {
        let videoKey = try VideoCalls.requiredKey("video_key", parameters)
        guard let video = await context.state.asset(videoKey), video.kind == "video" else {
            throw SandboxError.notFound("video_key", videoKey)
        }
        guard let kind = parameters["kind"] else { throw SandboxError.missing("kind") }
        guard kind == "captions" || kind == "chapters" else {
            throw SandboxError.invalid("kind", "must be captions or chapters")
        }
        let declared = parameters.filter { ["md5", "size"].contains($0.name) }.asParameters
        var check = SandboxAsset(key: "", kind: "track", createdAt: context.now)
        try MetadataParameters.apply(declared, to: &check)
        let key = try await context.state.create(kind: "track", at: context.now) { asset in
            asset.videoKey = videoKey
            asset.trackKind = kind
            asset.label = parameters["label"]
            asset.language = parameters["language"]
            try MetadataParameters.apply(declared, to: &asset)
        }.key
        let link = await context.uploadLink(segment: "videos/tracks", assetKey: key)
        return ["track": ["key": .string(key)], "media": ["type": "track", "key": .string(key)], "link": link]
    }

    static func createAccountAsset(
        kind: String, segment: String
    )
        -> @Sendable (APIParameters, SandboxContext) async throws -> APIValue
    {
        { parameters, context in
            let key = await context.state.create(kind: kind, at: context.now) { asset in
                asset.title = parameters["name"] ?? parameters["title"]
            }.key
            let link = await context.uploadLink(segment: segment, assetKey: key)
            return [kind: ["key": .string(key)], "media": ["type": .string(kind), "key": .string(key)], "link": link]
        }
    }

    static func updateAccountAsset(
        kind: String, segment: String
    )
        -> @Sendable (APIParameters, SandboxContext) async throws -> APIValue
    {
        { parameters, context in
            let keyName = "\(kind)_key"
            let key = try VideoCalls.requiredKey(keyName, parameters)
            guard let asset = await context.state.asset(key), asset.kind == kind else {
                throw SandboxError.notFound(keyName, key)
            }
            let link = await context.uploadLink(segment: segment, assetKey: asset.key)
            return [kind: ["key": .string(key)], "link": link]
        }
    }
}

extension Array where Element == APIParameters.Parameter {
    var asParameters: APIParameters {
        var parameters = APIParameters()
        for parameter in self { parameters.append(parameter.name, parameter.value) }
        return parameters
    }
}
