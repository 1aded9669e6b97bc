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
    /// The name, as written in manifests, answers and reports.
    public var rawValue: String
    /// Creates a value named `rawValue`.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The text shown in messages and logs.
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
    /// The name, as written in manifests, answers and reports.
    public var rawValue: String
    /// Creates a value named `rawValue`.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The text shown in messages and logs.
    public var description: String { rawValue }

    /// MPEG-4 (ISO BMFF).
    public static let mp4 = Container(rawValue: "mp4")
    /// QuickTime (ISO BMFF).
    public static let mov = Container(rawValue: "mov")
    /// MPEG-4 audio (ISO BMFF).
    public static let m4a = Container(rawValue: "m4a")
    /// 3GPP (ISO BMFF).
    public static let threeGP = Container(rawValue: "3gp")
    /// Matroska.
    public static let matroska = Container(rawValue: "matroska")
    /// WebM (Matroska).
    public static let webm = Container(rawValue: "webm")
    /// AVI (RIFF).
    public static let avi = Container(rawValue: "avi")
    /// Flash Video.
    public static let flv = Container(rawValue: "flv")
    /// MPEG transport stream.
    public static let mpegTS = Container(rawValue: "mpegts")
    /// MPEG program stream.
    public static let mpegPS = Container(rawValue: "mpegps")
    /// MPEG audio layer III.
    public static let mp3 = Container(rawValue: "mp3")
    /// WAVE (RIFF) audio.
    public static let wav = Container(rawValue: "wav")
    /// Ogg (Vorbis, Opus, Theora).
    public static let ogg = Container(rawValue: "ogg")
    /// JPEG image.
    public static let jpeg = Container(rawValue: "jpeg")
    /// PNG image.
    public static let png = Container(rawValue: "png")
    /// WebP image.
    public static let webp = Container(rawValue: "webp")
    /// WebVTT text track.
    public static let webVTT = Container(rawValue: "webvtt")
    /// SubRip text track.
    public static let srt = Container(rawValue: "srt")
    /// Not recognized.
    public static let unknown = Container(rawValue: "unknown")
}
