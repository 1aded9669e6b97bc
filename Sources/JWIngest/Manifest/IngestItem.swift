import Foundation
import JWPlatform

/// What the manifest says about one asset: its file, metadata, thumbnail, tracks and redirect options.
/// Immutable; what a run learns about it is an ``ItemState``.
public struct IngestItem: Sendable, Hashable {
    /// The manifest's unique id of the item; sent as `custom.ingest_id` so the asset can be found again.
    public var id: String
    /// Where the media comes from.
    public var source: MediaSource
    /// Which kind of asset it becomes.
    public var kind: ItemKind
    /// Title, description, author, tags, date, link and custom fields.
    public var metadata: VideoMetadata
    /// A thumbnail image to attach (videos only).
    public var thumbnail: URL?
    /// Caption and chapter tracks to attach (videos only).
    public var tracks: [TrackSpec]
    /// Where the upload server should redirect after the upload (form method only).
    public var redirect: UploadRedirect?
    /// Where the item is written in the manifest.
    public var position: SourcePosition

    /// Creates an item.
    public init(
        id: String, source: MediaSource, kind: ItemKind = .video, metadata: VideoMetadata = VideoMetadata(),
        thumbnail: URL? = nil, tracks: [TrackSpec] = [], redirect: UploadRedirect? = nil,
        position: SourcePosition = SourcePosition(file: "")
    ) {
        self.id = id
        self.source = source
        self.kind = kind
        self.metadata = metadata
        self.thumbnail = thumbnail
        self.tracks = tracks
        self.redirect = redirect
        self.position = position
    }

    /// The item's file, when it has one.
    public var file: URL? {
        if case .file(let url) = source { return url }
        return nil
    }
}

/// Where an item's media comes from.
public enum MediaSource: Sendable, Hashable, CustomStringConvertible {
    /// A local file, sent by the upload stage.
    case file(URL)
    /// A URL the platform fetches itself (`download_url`); there is nothing to upload.
    case url(String)

    /// The text shown in messages and logs.
    public var description: String {
        switch self {
        case .file(let url): return url.path
        case .url(let address): return Redaction.redact(url: address)
        }
    }
}

/// The kind of asset an item becomes.
public struct ItemKind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The name, as written in manifests, answers and reports.
    public var rawValue: String
    /// Creates a value named `rawValue`.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The text shown in messages and logs.
    public var description: String { rawValue }

    /// A video (the default): `/videos/create`.
    public static let video = ItemKind(rawValue: "video")
    /// An account image: `/accounts/images/create`.
    public static let image = ItemKind(rawValue: "image")
    /// A player skin: `/accounts/skins/create`.
    public static let skin = ItemKind(rawValue: "skin")

    /// The kinds a manifest may name.
    public static let all: [ItemKind] = [.video, .image, .skin]

    /// The upload target of the kind.
    public var target: UploadTarget { UploadTarget.named(rawValue) ?? .video }
}

/// A caption or chapter track to attach to a video.
public struct TrackSpec: Sendable, Hashable {
    /// The WebVTT or SRT file.
    public var file: URL
    /// `captions` or `chapters`, with label and language.
    public var metadata: TrackMetadata
    /// Where the track is written in the manifest.
    public var position: SourcePosition

    /// Creates a track.
    public init(file: URL, metadata: TrackMetadata, position: SourcePosition = SourcePosition(file: "")) {
        self.file = file
        self.metadata = metadata
        self.position = position
    }

    /// A stable name of the track within its item: kind, language and file name.
    public var identity: String {
        "\(metadata.kind):\(metadata.language ?? "-"):\(file.lastPathComponent)"
    }
}

extension IngestItem {
    /// How this item's file is sent: the manifest's method for videos; account images and skins always
    /// take the regular form upload.
    public func uploadMethod(_ options: ManifestOptions) -> UploadMethod {
        kind == .video ? options.uploadMethod : .form
    }
}

extension IngestItem {
    /// Whether this machine sees the item's file (always, for an item fetched from a URL): workers that
    /// share a journal read the files of the items they lease, so they need the same paths.
    public var isPresentHere: Bool {
        switch source {
        case .file(let url): return FileManager.default.fileExists(atPath: url.path)
        case .url: return true
        }
    }
}
