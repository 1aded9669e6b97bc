/// One media file found by a ``FolderScanner``, with its sidecars and metadata: one item of the manifest
/// that the scan writes.
///
/// Paths are relative to the scanned folder, with `/` between folders; the writers make them relative
/// to the manifest's folder.
public struct ScannedItem: Sendable, Hashable {
    /// The item's id, derived from ``path`` (unique within the scan).
    public var id: String
    /// The media file.
    public var path: String
    /// The title: from `--metadata`, else from the file's name.
    public var title: String
    /// The description, from `--metadata`.
    public var description: String?
    /// The author, from `--metadata`.
    public var author: String?
    /// The tags, from `--metadata`.
    public var tags: [String]
    /// The date as written in `--metadata` (ISO 8601 or Unix seconds; checked when it was read).
    public var date: String?
    /// The link, from `--metadata`.
    public var link: String?
    /// Custom fields, from the `custom.<name>` columns of `--metadata`, in the columns' order.
    public var custom: [ScannedField]
    /// The thumbnail paired by name (`ep1.jpg` beside `ep1.mp4`), an image by content.
    public var thumbnail: String?
    /// Caption and chapter tracks paired by name, captions first.
    public var tracks: [ScannedTrack]

    /// Creates an item.
    ///
    /// - Parameters:
    ///   - id: The item's id.
    ///   - path: The media file, relative to the scanned folder.
    ///   - title: The title.
    ///   - description: The description.
    ///   - author: The author.
    ///   - tags: The tags.
    ///   - date: The date as text.
    ///   - link: The link.
    ///   - custom: Custom fields.
    ///   - thumbnail: The thumbnail, relative to the scanned folder.
    ///   - tracks: Caption and chapter tracks.
    public init(
        id: String, path: String, title: String, description: String? = nil, author: String? = nil,
        tags: [String] = [], date: String? = nil, link: String? = nil, custom: [ScannedField] = [],
        thumbnail: String? = nil, tracks: [ScannedTrack] = []
    ) {
        self.id = id
        self.path = path
        self.title = title
        self.description = description
        self.author = author
        self.tags = tags
        self.date = date
        self.link = link
        self.custom = custom
        self.thumbnail = thumbnail
        self.tracks = tracks
    }
}

/// A caption or chapter track paired with a media file by name.
public struct ScannedTrack: Sendable, Hashable {
    /// The WebVTT or SRT file, relative to the scanned folder.
    public var path: String
    /// `captions` or `chapters`.
    public var kind: String
    /// The language code from the name (`ep1.fr.srt` → `fr`), if any.
    public var language: String?
    /// The label: the language's name for common codes (`English`), else the code; none for chapters.
    public var label: String?

    /// Creates a track.
    ///
    /// - Parameters:
    ///   - path: The file, relative to the scanned folder.
    ///   - kind: `captions` or `chapters`.
    ///   - language: The language code.
    ///   - label: The label.
    public init(path: String, kind: String, language: String? = nil, label: String? = nil) {
        self.path = path
        self.kind = kind
        self.language = language
        self.label = label
    }
}

/// A named text value: a custom field.
public struct ScannedField: Sendable, Hashable {
    /// The field's name (without `custom.`).
    public var name: String
    /// Its value.
    public var value: String

    /// Creates a field.
    ///
    /// - Parameters:
    ///   - name: The field's name.
    ///   - value: Its value.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
