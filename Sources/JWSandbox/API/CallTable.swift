import JWPlatform

/// The calls the sandbox answers, by name.
enum CallTable {
    typealias Handler = @Sendable (APIParameters, SandboxContext) async throws -> APIValue

    static let handlers: [String: Handler] = [
        "/videos/create": VideoCalls.create,
        "/videos/update": VideoCalls.update,
        "/videos/show": VideoCalls.show,
        "/videos/list": VideoCalls.list,
        "/videos/delete": VideoCalls.delete,
        "/videos/thumbnails/update": AssetCalls.updateThumbnail,
        "/videos/tracks/create": AssetCalls.createTrack,
        "/accounts/images/create": AssetCalls.createAccountAsset(kind: "image", segment: "accounts/images"),
        "/accounts/images/update": AssetCalls.updateAccountAsset(kind: "image", segment: "accounts/images"),
        "/accounts/skins/create": AssetCalls.createAccountAsset(kind: "skin", segment: "accounts/skins"),
        "/accounts/skins/update": AssetCalls.updateAccountAsset(kind: "skin", segment: "accounts/skins"),
    ]
}
