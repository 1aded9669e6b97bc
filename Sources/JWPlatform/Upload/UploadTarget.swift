/// The five kinds of file the platform takes, with the names each uses (API.md §2, the seed's table).
///
/// One code path serves them all: the create call, the upload path segment, and the parameter names for
/// the item and its key differ, nothing else.
public struct UploadTarget: Sendable, Hashable, CustomStringConvertible {
    /// The kind's name: `video`, `thumbnail`, `track`, `image`, `skin`.
    public var kind: String
    /// The segment of the upload path: `videos` in `/v1/videos/upload`.
    public var pathSegment: String
    /// The name of the item in answers and parameters: `video`, `track`, `image`, `skin`.
    public var itemParameter: String
    /// The name of the key parameter: `video_key`, `track_key`, `image_key`, `skin_key`.
    public var keyParameter: String
    /// The call that creates the asset and answers a link (for a thumbnail, the update call of its video).
    public var createCall: String
    /// The call that asks for a new link for an existing asset, when there is one.
    public var updateCall: String?
    /// The parameter of the create call that names the asset the file belongs to (`video_key` for a
    /// thumbnail or track), or `nil` when the create call makes a free-standing asset.
    public var ownerKeyParameter: String?

    /// Creates a target; the five of the platform are static members.
    public init(
        kind: String, pathSegment: String, itemParameter: String, keyParameter: String, createCall: String,
        updateCall: String?, ownerKeyParameter: String? = nil
    ) {
        self.kind = kind
        self.pathSegment = pathSegment
        self.itemParameter = itemParameter
        self.keyParameter = keyParameter
        self.createCall = createCall
        self.updateCall = updateCall
        self.ownerKeyParameter = ownerKeyParameter
    }

    /// The text shown in messages and logs.
    public var description: String { kind }

    /// The upload path: `/v1/<segment>/upload`.
    public var uploadPath: String { "/v1/\(pathSegment)/upload" }

    /// A video: `/videos/create`, new links through `/videos/update` with `update_file=True`.
    public static let video = UploadTarget(
        kind: "video", pathSegment: "videos", itemParameter: "video", keyParameter: "video_key",
        createCall: "/videos/create", updateCall: "/videos/update")
    /// A video's thumbnail: `/videos/thumbnails/update`.
    public static let thumbnail = UploadTarget(
        kind: "thumbnail", pathSegment: "videos/thumbnails", itemParameter: "video", keyParameter: "video_key",
        createCall: "/videos/thumbnails/update", updateCall: "/videos/thumbnails/update",
        ownerKeyParameter: "video_key")
    /// A caption or chapter track: `/videos/tracks/create`.
    public static let track = UploadTarget(
        kind: "track", pathSegment: "videos/tracks", itemParameter: "track", keyParameter: "track_key",
        createCall: "/videos/tracks/create", updateCall: nil, ownerKeyParameter: "video_key")
    /// An account image: `/accounts/images/create` and `update`.
    public static let image = UploadTarget(
        kind: "image", pathSegment: "accounts/images", itemParameter: "image", keyParameter: "image_key",
        createCall: "/accounts/images/create", updateCall: "/accounts/images/update")
    /// A player skin: `/accounts/skins/create` and `update`.
    public static let skin = UploadTarget(
        kind: "skin", pathSegment: "accounts/skins", itemParameter: "skin", keyParameter: "skin_key",
        createCall: "/accounts/skins/create", updateCall: "/accounts/skins/update")

    /// The five targets of the platform.
    public static let all: [UploadTarget] = [.video, .thumbnail, .track, .image, .skin]

    /// The target whose kind is `kind`, or `nil`.
    public static func named(_ kind: String) -> UploadTarget? {
        all.first { $0.kind == kind }
    }
}
