/// What a file is and how long it lasts, as read from its container headers.
public struct MediaInfo: Sendable, Hashable, Codable {
    /// The file's path as given.
    public var path: String
    /// The container format, e.g. ``Container/mp4``; ``Container/unknown`` when not recognized.
    public var container: Container
    /// What the file holds.
    public var kind: MediaKind
    /// The duration in seconds, when the container gives one.
    public var duration: Double?
    /// The file's size in bytes.
    public var size: Int64
    /// Which header or method gave the duration (`mvhd`, `segment-info`, `last-pts`, …), or `nil`.
    public var durationSource: String?
    /// Why the file could not be read, when ``kind`` is ``MediaKind/unreadable`` or the duration is missing.
    public var reason: String?
    /// How many bytes of the file the probe read.
    public var bytesRead: Int64

    /// Creates a description.
    public init(
        path: String, container: Container, kind: MediaKind, duration: Double? = nil, size: Int64,
        durationSource: String? = nil, reason: String? = nil, bytesRead: Int64 = 0
    ) {
        self.path = path
        self.container = container
        self.kind = kind
        self.duration = duration
        self.size = size
        self.durationSource = durationSource
        self.reason = reason
        self.bytesRead = bytesRead
    }
}

/// What a file holds.
public struct MediaKind: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// Moving pictures, with or without sound.
    public static let video = MediaKind(rawValue: "video")
    /// Sound only.
    public static let audio = MediaKind(rawValue: "audio")
    /// A still image (JPEG, PNG, WebP).
    public static let image = MediaKind(rawValue: "image")
    /// A text track (WebVTT, SRT).
    public static let textTrack = MediaKind(rawValue: "text-track")
    /// Not a format the probe knows.
    public static let unknown = MediaKind(rawValue: "unknown")
    /// Recognized, but broken: truncated, inconsistent, or out of bounds.
    public static let unreadable = MediaKind(rawValue: "unreadable")
}

/// A container format. An open set of names.
public struct Container: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let mp4 = Container(rawValue: "mp4")
    public static let mov = Container(rawValue: "mov")
    public static let m4a = Container(rawValue: "m4a")
    public static let threeGP = Container(rawValue: "3gp")
    public static let matroska = Container(rawValue: "matroska")
    public static let webm = Container(rawValue: "webm")
    public static let avi = Container(rawValue: "avi")
    public static let flv = Container(rawValue: "flv")
    public static let mpegTS = Container(rawValue: "mpegts")
    public static let mpegPS = Container(rawValue: "mpegps")
    public static let mp3 = Container(rawValue: "mp3")
    public static let wav = Container(rawValue: "wav")
    public static let ogg = Container(rawValue: "ogg")
    public static let jpeg = Container(rawValue: "jpeg")
    public static let png = Container(rawValue: "png")
    public static let webp = Container(rawValue: "webp")
    public static let webVTT = Container(rawValue: "webvtt")
    public static let srt = Container(rawValue: "srt")
    public static let unknown = Container(rawValue: "unknown")
}
