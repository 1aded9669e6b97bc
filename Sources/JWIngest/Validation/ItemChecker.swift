import Foundation
import JWPlatform
import MediaProbe

/// The checks of an item that need no network: its file exists and is not too large, a video lasts at
/// least `min_duration` (read from its container by MediaProbe), an image is an image, a thumbnail is an
/// image and a track is WebVTT or SRT, all recognized by content rather than by extension.
public struct ItemChecker: Sendable {
    /// The limits to check against.
    public var options: ManifestOptions
    /// The probe that reads durations and recognizes content.
    public var prober: MediaProber

    /// Creates a checker.
    public init(options: ManifestOptions, prober: MediaProber = MediaProber()) {
        self.options = options
        self.prober = prober
    }

    /// What the checks found about one item.
    public struct Result: Sendable, Hashable {
        /// Everything wrong, each naming the item and where it is written.
        public var problems: [ManifestProblem] = []
        /// The size of the item's file.
        public var size: Int64?
        /// The modification time of the item's file.
        public var modified: Date?
        /// The probe's answer about the item's file.
        public var media: MediaInfo?
    }

    /// Checks one item.
    public func check(_ item: IngestItem) -> Result {
        var result = Result()
        var problems: [ManifestProblem] = []
        func problem(_ message: String, _ position: SourcePosition = item.position) {
            problems.append(ManifestProblem(message, at: position, item: item.id))
        }
        if let file = item.file {
            switch Self.regularFile(file) {
            case .failure(let reason):
                problem("the file \(file.path) \(reason)")
            case .success(let (size, modified)):
                result.size = size
                result.modified = modified
                if size == 0 { problem("the file \(file.path) is empty") }
                let isS3 = options.api == .v1 && item.uploadMethod(options) == .s3
                let limit = isS3 ? min(options.maxSize, ManifestOptions.s3MaxSize) : options.maxSize
                if size > limit {
                    problem(
                        "the file is \(TerminalProgress.bytes(size)), above max_size \(TerminalProgress.bytes(limit)); "
                            + (isS3
                                ? "the s3 method takes at most 5 GiB: use upload_method form (up to 25 GB)"
                                : "raise max_size in options (up to 25 GB for the form method and on v2)"))
                }
                if size > 0 {
                    let (media, problems) = checkContent(item, file: file)
                    result.media = media
                    for message in problems { problem(message) }
                }
            }
        }
        if let thumbnail = item.thumbnail {
            checkCompanion(
                thumbnail, what: "thumbnail", wanted: .image, described: "a JPEG, PNG or WebP image",
                at: item.position, problem)
        }
        for track in item.tracks {
            checkCompanion(
                track.file, what: "\(track.metadata.kind) track", wanted: .textTrack, described: "WebVTT or SRT",
                at: track.position, problem)
        }
        result.problems = problems
        return result
    }

    /// The probe's answer about the item's file and what is wrong with its content.
    private func checkContent(_ item: IngestItem, file: URL) -> (MediaInfo?, [String]) {
        guard item.kind != .skin else { return (nil, []) }
        let info = prober.probe(file)
        let reason = info.reason.map { " (\($0))" } ?? ""
        if item.kind == .image {
            guard info.kind == .image else {
                return (
                    info,
                    [
                        "the file \(file.lastPathComponent) is not a JPEG, PNG or WebP image: it reads as \(info.kind)\(reason)"
                    ]
                )
            }
            return (info, [])
        }
        switch info.kind {
        case .video, .audio:
            if let duration = info.duration, duration < options.minDuration {
                return (
                    info,
                    [
                        "the media lasts \(String(format: "%.2f", duration)) s, shorter than min_duration "
                            + "\(String(format: "%g", options.minDuration)) s; the platform refuses it"
                    ]
                )
            }
            return (info, [])
        case .unreadable:
            return (info, ["the file \(file.lastPathComponent) is a broken \(info.container) file\(reason)"])
        default:
            return (
                info,
                [
                    "the file \(file.lastPathComponent) is not a video or audio file the probe recognizes: it reads as \(info.kind)\(reason)"
                ]
            )
        }
    }

    private func checkCompanion(
        _ file: URL, what: String, wanted: MediaKind, described: String, at position: SourcePosition,
        _ problem: (String, SourcePosition) -> Void
    ) {
        switch Self.regularFile(file) {
        case .failure(let reason):
            problem("the \(what) \(file.path) \(reason)", position)
        case .success:
            let info = prober.probe(file)
            if info.kind != wanted {
                problem("the \(what) \(file.lastPathComponent) is not \(described): it reads as \(info.kind)", position)
            }
        }
    }

    /// The size and modification time of the regular file at the end of `url` (symlinks are followed),
    /// or why it cannot be ingested: missing, not a regular file (a FIFO or a device would block or never
    /// end; a symlink's target is named), not readable.
    private static func regularFile(_ url: URL) -> Swift.Result<(Int64, Date?), CheckFailure> {
        let status: FileStatus
        do {
            status = try FileStatus(path: url.path)
        } catch let error as FileStatusError where error.reason == "does not exist" {
            let dangling =
                (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path))
                .map { " (a symlink to \($0), which does not exist)" } ?? ""
            return .failure(
                CheckFailure(
                    "does not exist\(dangling); check the path (relative paths start at the manifest's folder)"))
        } catch {
            return .failure(CheckFailure((error as? FileStatusError)?.reason ?? "\(error)"))
        }
        guard status.isRegular else { return .failure(CheckFailure(status.refusal)) }
        guard access(url.path, R_OK) == 0 else {
            return .failure(CheckFailure("is not readable; check its permissions"))
        }
        return .success((status.size, status.modified))
    }

    struct CheckFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
