/// The request a ``FaultPlan`` decides for: what kind of request it is and its path.
///
/// The sandbox builds one per request it serves, from what it routed:
///
/// ```swift
/// plan.decide(for: .call("/videos/create"))        // a signed API call, by its name
/// plan.decide(for: .upload("/v1/videos/upload"))    // a form upload (API.md §3)
/// plan.decide(for: .s3)                             // a presigned S3 PUT (API.md §4)
/// plan.decide(for: .other("/progress"))             // anything else the sandbox serves
/// plan.decide(for: .call("/v2/sites/{site_id}/media/"))  // a v2 API call, by its route's path
/// ```
///
/// A v2 API call's scope is of kind ``Kind/api`` at its route's path with ids as placeholders
/// (`/v2/uploads/{id}/complete`); a v2 direct-upload or part `PUT` is ``s3``, in the stream of all presigned
/// PUTs.
///
/// Paths are kept without the `/v1` prefix and without a trailing `/`, so `/v1/videos/upload` and
/// `videos/upload/` are the same scope, `/videos/upload`. Each scope has its own sequence of decisions (see
/// ``FaultPlan``); all S3 PUTs share one, because their paths carry per-video keys.
public struct FaultScope: Sendable, Hashable, CustomStringConvertible {
    /// The kind of request. An open set of names; the grammar's `api`, `upload` and `s3` scopes select by it.
    public struct Kind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A signed API call under `/v1/…` (API.md §1–§2), or a v2 API call under `/v2/…`.
        public static let api = Kind(rawValue: "api")
        /// A `multipart/form-data` upload to `/v1/<segment>/upload` (API.md §3).
        public static let upload = Kind(rawValue: "upload")
        /// A `PUT` to a presigned S3 path (API.md §4), or a v2 direct-upload or part `PUT`.
        public static let s3 = Kind(rawValue: "s3")
        /// Anything else: `/progress`, for one.
        public static let other = Kind(rawValue: "other")
    }

    /// The kind of request.
    public var kind: Kind
    /// The normalized path: `/videos/create`, `/videos/upload`, `/progress`; empty for ``s3``.
    public var path: String

    /// A scope of `kind` at `path`, normalized (see the type's discussion).
    ///
    /// - Parameters:
    ///   - kind: The kind of request.
    ///   - path: The request path or call name, with or without `/v1` and the leading `/`.
    public init(kind: Kind, path: String) {
        self.kind = kind
        self.path = Self.normalized(path)
    }

    /// A signed API call by its name, e.g. `/videos/create` (or `/v1/videos/create`).
    public static func call(_ name: String) -> FaultScope { FaultScope(kind: .api, path: name) }

    /// A form upload at `path`, e.g. `/v1/videos/thumbnails/upload`.
    public static func upload(_ path: String) -> FaultScope { FaultScope(kind: .upload, path: path) }

    /// Any presigned S3 `PUT`.
    public static let s3 = FaultScope(kind: .s3, path: "")

    /// Another request the sandbox serves, e.g. `/progress`.
    public static func other(_ path: String) -> FaultScope { FaultScope(kind: .other, path: path) }

    /// Whether the request carries a body that a `drop` can cut or whose `md5` can be falsified.
    public var carriesBody: Bool { kind == .upload || kind == .s3 }

    /// `api /videos/create`, `upload /videos/upload`, `s3`.
    public var description: String { path.isEmpty ? kind.rawValue : "\(kind.rawValue) \(path)" }

    /// The name of this scope's deterministic stream: the kind and the path (S3 PUTs share one).
    var streamKey: String { kind == .s3 ? "s3" : "\(kind.rawValue):\(path)" }

    /// `path` with a leading `/`, without `/v1` in front and without a trailing `/`.
    static func normalized(_ path: String) -> String {
        var text = Substring(path)
        while text.hasSuffix("/") { text = text.dropLast() }
        if text.isEmpty { return "" }
        var result = text.hasPrefix("/") ? String(text) : "/" + text
        if result.hasPrefix("/v1/") { result.removeFirst(3) }
        return result
    }
}
