/// Which requests a fault rule applies to: the part of a rule after `@`.
///
/// `*` (every request; the default when a rule has no `@`), `api` (every v1 signed API call and every v2
/// API call), `upload` (every v1 form upload path), `s3` (every presigned `PUT`: the v1 S3 `PUT`, and the
/// v2 direct-upload and multipart part `PUT`s), or one path: a call name such as `/videos/create`, an
/// upload path such as `/videos/upload`, `/progress`, or a v2 route's path with its ids as placeholders,
/// such as `/v2/sites/{site_id}/media` (every method of it: both the create and the list) or
/// `/v2/uploads/{id}/complete` (``knownV2Paths``).
public enum FaultTarget: Sendable, Hashable, CustomStringConvertible {
    /// Every request (`*`).
    case all
    /// Every signed v1 API call and every v2 API call (`api`).
    case api
    /// Every form upload (`upload`), whatever its path segment.
    case upload
    /// Every presigned `PUT` (`s3`): v1 S3 uploads, v2 direct uploads and v2 multipart parts.
    case s3
    /// The requests at one normalized path (`/videos/create`, `/videos/upload`, `/progress`), of any kind.
    case path(String)

    /// Whether a request of `scope` is selected.
    ///
    /// - Parameter scope: The request.
    /// - Returns: `true` when the rule's target covers the request.
    public func matches(_ scope: FaultScope) -> Bool {
        switch self {
        case .all: true
        case .api: scope.kind == .api
        case .upload: scope.kind == .upload
        case .s3: scope.kind == .s3
        case .path(let path): !scope.path.isEmpty && scope.path == path
        }
    }

    /// The target as written in a SPEC: `*`, `api`, `upload`, `s3` or the path.
    public var description: String {
        switch self {
        case .all: "*"
        case .api: "api"
        case .upload: "upload"
        case .s3: "s3"
        case .path(let path): path
        }
    }

    /// Whether requests this target selects can carry a body (`drop` and `md5` need one).
    var canCarryBody: Bool {
        switch self {
        case .all, .upload, .s3: true
        case .api: false
        case .path(let path): FaultTarget.isUploadPath(path)
        }
    }

    /// Whether `path` names a form upload: it ends in `/upload` (API.md §3).
    static func isUploadPath(_ path: String) -> Bool { path.hasSuffix("/upload") }

    /// The words a target can be, besides a path.
    static let words: [String: FaultTarget] = ["*": .all, "api": .api, "upload": .upload, "s3": .s3]

    /// The calls of API.md §2: paths a rule may name by default.
    public static let knownCalls: [String] = [
        "/videos/create", "/videos/update", "/videos/show", "/videos/list", "/videos/delete",
        "/videos/thumbnails/update", "/videos/tracks/create",
        "/accounts/images/create", "/accounts/images/update", "/accounts/skins/create", "/accounts/skins/update",
    ]

    /// The upload paths of API.md §2–§3 (`/<segment>/upload`, one per upload target).
    public static let knownUploadPaths: [String] = [
        "/videos/upload", "/videos/thumbnails/upload", "/videos/tracks/upload",
        "/accounts/images/upload", "/accounts/skins/upload",
    ]

    /// The routes of the v2 API, by path with ids as placeholders and without a trailing slash; a rule on
    /// one applies to every method of it.
    public static let knownV2Paths: [String] = V2Path.faultPaths

    /// Every path a rule may name by default: ``knownCalls``, ``knownUploadPaths``, `/progress` and
    /// ``knownV2Paths``.
    ///
    /// A path outside this list is a ``FaultSpecError`` (a typo there would make a failure test pass without
    /// any fault); pass another list, or `nil`, to ``FaultPlan/init(spec:seed:knownPaths:)``.
    public static let knownPaths: [String] = knownCalls + knownUploadPaths + ["/progress"] + knownV2Paths
}
