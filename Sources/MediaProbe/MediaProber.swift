import Foundation

/// Finds what a media file is and how long it lasts by reading its container headers: no ffmpeg needed,
/// only a few KiB to a few MiB read whatever the file's size.
///
/// ```swift
/// let info = MediaProber().probe(URL(fileURLWithPath: "intro.mp4"))
/// if let duration = info.duration, duration < 2 { print("too short") }
/// ```
///
/// A broken file is an answer, not an error: ``MediaKind/unreadable`` with a ``MediaInfo/reason``.
public struct MediaProber: Sendable {
    /// Options of a probe.
    public struct Options: Sendable, Hashable {
        /// The most bytes one probe reads; a file that needs more is `unreadable`.
        public var readBudget: Int64
        /// Whether `ffprobe`, when on the PATH, may be asked about files no reader recognizes and about
        /// recognized media whose duration the reader could not find. A file a reader recognized and found
        /// broken stays `unreadable`. Never required.
        public var allowsFFprobe: Bool

        /// Creates options: 8 MiB budget, no ffprobe.
        public init(readBudget: Int64 = 8 << 20, allowsFFprobe: Bool = false) {
            self.readBudget = readBudget
            self.allowsFFprobe = allowsFFprobe
        }
    }

    /// The container readers, tried in order; the first that recognizes the head probes the file.
    public var containers: [any ContainerProbe]
    /// The options.
    public var options: Options

    /// The built-in readers, most specific magic first, weak signatures (MP3 frame sync, text) last.
    public static let standardContainers: [any ContainerProbe] = [
        ISOBMFFProbe(), MatroskaProbe(), AVIProbe(), WAVProbe(), ImageProbe(), FLVProbe(), OggProbe(),
        MPEGPSProbe(), MPEGTSProbe(), MP3Probe(), TextTrackProbe(),
    ]

    /// Creates a prober.
    public init(containers: [any ContainerProbe] = MediaProber.standardContainers, options: Options = Options()) {
        self.containers = containers
        self.options = options
    }

    /// How many bytes of the start every reader is shown to recognize its format.
    static let headLength = 4096

    /// Probes one file.
    ///
    /// - Parameter url: The file.
    /// - Returns: What was found; never throws: a missing file, an empty one or a broken one is described
    ///   by ``MediaInfo/kind`` and ``MediaInfo/reason``.
    public func probe(_ url: URL) -> MediaInfo {
        let reader: RandomAccessReader
        do {
            reader = try RandomAccessReader(url: url, readBudget: options.readBudget)
        } catch {
            return MediaInfo(path: url.path, container: .unknown, kind: .unreadable, size: 0, reason: "\(error)")
        }
        var info = probe(url, with: reader)
        info.bytesRead = reader.bytesRead
        return info
    }

    /// The probe proper, once the file is open; the caller records how many bytes it read.
    private func probe(_ url: URL, with reader: RandomAccessReader) -> MediaInfo {
        var info = MediaInfo(path: url.path, container: .unknown, kind: .unknown, size: reader.size)
        guard reader.size > 0 else {
            info.reason = "the file is empty"
            return info
        }
        let head: [UInt8]
        do {
            head = try reader.read(at: 0, count: Self.headLength)
        } catch {
            info.kind = .unreadable
            info.reason = "\(error)"
            return info
        }
        guard let container = containers.first(where: { $0.recognizes(head: head) }) else {
            info.reason = "not a container this probe reads"
            return fallback(url, info: info)
        }
        do {
            let findings = try container.probe(reader, head: head)
            info.container = findings.container
            info.kind = findings.kind
            info.duration = findings.duration.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
            info.durationSource = info.duration == nil ? nil : findings.durationSource
            info.reason = findings.reason
            if info.duration == nil, findings.kind == .video || findings.kind == .audio {
                return fallback(url, info: info)
            }
        } catch {
            // A file a reader recognized but found broken stays unreadable: ffprobe is not asked to guess.
            info.container = Self.family(of: container)
            info.kind = .unreadable
            info.reason = "\(error)"
        }
        return info
    }

    /// The container a reader stands for, to name the format of a file it recognized but could not read.
    static func family(of probe: any ContainerProbe) -> Container {
        switch probe {
        case is ISOBMFFProbe: return .mp4
        case is MatroskaProbe: return .matroska
        case is AVIProbe: return .avi
        case is WAVProbe: return .wav
        case is ImageProbe: return .unknown
        case is FLVProbe: return .flv
        case is OggProbe: return .ogg
        case is MPEGPSProbe: return .mpegPS
        case is MPEGTSProbe: return .mpegTS
        case is MP3Probe: return .mp3
        default: return .unknown
        }
    }

    /// Asks ffprobe when allowed and present; otherwise returns `info` as it is.
    private func fallback(_ url: URL, info: MediaInfo) -> MediaInfo {
        guard options.allowsFFprobe, let found = FFprobe.duration(of: url) else { return info }
        var info = info
        info.duration = found.duration
        info.durationSource = "ffprobe"
        if info.kind == .unknown { info.kind = found.kind }
        if info.container == .unknown { info.container = Container(rawValue: found.formatName) }
        info.reason = nil
        return info
    }
}
