import Foundation

/// One asset the sandbox holds: a video, or a thumbnail, track, image or skin.
///
/// What ``Sandbox/assets()`` and `GET /_sandbox/assets` list, so tests can prove that nothing was lost and
/// nothing doubled. v1 and v2 share one library, as on the platform: a v2 media is a `video` asset whose
/// key is its media id (`permalink` is ``link``, `publish_start_date` is ``date``).
public struct SandboxAsset: Sendable, Hashable, Codable {
    /// The asset's key.
    public var key: String
    /// `video`, `thumbnail`, `track`, `image` or `skin`.
    public var kind: String
    /// For a thumbnail or track, the key of its video.
    public var videoKey: String?
    /// Title, description, author, link as given.
    public var title: String?
    public var description: String?
    public var author: String?
    public var link: String?
    /// Tags, in order.
    public var tags: [String]
    /// Publication date, Unix time.
    public var date: Int64?
    /// Custom fields.
    public var custom: [String: String]
    /// For a track: `captions` or `chapters`, its label and language.
    public var trackKind: String?
    public var label: String?
    public var language: String?
    /// What the create call declared of the file, if anything.
    public var declaredMD5: String?
    public var declaredSize: Int64?
    /// What was stored: MD5 and size of the last file received.
    public var md5: String?
    public var size: Int64?
    /// How many uploads the asset received (more than one means a file was sent twice).
    public var uploads: Int
    /// The media duration the sandbox read from the stored file.
    public var duration: Double?
    /// Why processing failed (too short, not media), if it did.
    public var failure: String?
    /// Whether a new file was asked for (`update_file=True`) and has not arrived yet.
    public var awaitingNewFile: Bool = false
    /// When it was created and when its last file arrived.
    public var createdAt: Date
    public var uploadedAt: Date?
    /// Where the last file is stored.
    public var storedPath: String?
    /// The v2 `external_id` (JSON `external_id`).
    public var externalID: String?
    /// The v2 `category`.
    public var category: String?
    /// The v2 `publish_end_date`, Unix time.
    public var publishEndDate: Int64?
    /// How many part PUTs of v2 multipart uploads the sandbox accepted for this media (JSON `part_puts`),
    /// a part sent again included: more than the parts of the file means a client sent some twice.
    public var partPuts: Int = 0
    /// For a thumbnail: whether it is its video's poster (JSON `poster`), as a v2 `PATCH` with
    /// `relationships.media[0].is_poster` makes it; at most one thumbnail of a video is. `false` for every
    /// other asset.
    public var poster: Bool = false
    /// For a v2 text track: the `upload.file_format` its create declared, `vtt` or `srt` (not listed).
    var fileFormat: String?
    /// When a v2 `PATCH` last changed the metadata (not listed).
    var modifiedAt: Date?
    /// Whether a v2 fetch (`upload.method` `fetch`) is under way, so the media is `processing` before its
    /// file arrives (not listed).
    var fetchPending = false

    enum CodingKeys: String, CodingKey {
        case key, kind, videoKey, title, description, author, link, tags, date, custom, trackKind, label, language
        case declaredMD5, declaredSize, md5, size, uploads, duration, failure, awaitingNewFile, createdAt
        case uploadedAt, storedPath, category, publishEndDate
        case externalID = "external_id"
        case partPuts = "part_puts"
        case poster
    }

    init(key: String, kind: String, createdAt: Date) {
        self.key = key
        self.kind = kind
        self.tags = []
        self.custom = [:]
        self.uploads = 0
        self.createdAt = createdAt
    }
}

/// A single-use permission to send one file to one asset, as a link block carries it.
struct UploadGrant: Sendable, Hashable {
    /// The token (secret) of the link.
    var token: String
    /// The asset the file goes to.
    var assetKey: String
    /// The link's `query.key`: its own random key, not the media key (API.md §3 says they may differ).
    var uploadKey: String
    /// The kind of upload target: `videos`, `videos/thumbnails`, … or `s3`.
    var segment: String
    /// When the link was issued.
    var issuedAt: Date
    /// Whether an upload already used it.
    var used = false
}

/// What the progress URL reports for a token.
enum ProgressState: Sendable, Hashable {
    case starting
    case uploading(received: Int64, size: Int64)
    case done
    case error(status: Int)
}
