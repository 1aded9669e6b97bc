import Foundation
import MediaProbe

/// The files of one folder while it is scanned: which are media, which sidecars pair with them, and why
/// the rest are not items. Probes are made once per file and kept until the folder is done.
struct FolderFiles {
    /// What a file turned out to be.
    private enum Fate {
        case undecided
        case media
        case paired
        case skipped(ScanSkipReason, detail: String?)
    }

    /// The sidecars chosen for one media file: names within the folder.
    struct Pairing {
        var thumbnail: String?
        var tracks: [ScannedTrack] = []
    }

    let relative: String
    let absolute: String
    let entries: [DirectoryEntry]
    /// The indexes of the files that are not excluded, in name order.
    let candidates: [Int]
    /// The indexes of the media files, in name order.
    private(set) var media: [Int] = []
    private var fates: [Int: Fate] = [:]
    private var probes: [Int: MediaInfo] = [:]
    private var included: Set<Int> = []
    /// Sidecar readings of the candidates' names, by media stem.
    private var sidecars: [Substring: [(index: Int, name: SidecarName)]] = [:]

    init(relative: String, absolute: String, entries: [DirectoryEntry], candidates: [Int]) {
        self.relative = relative
        self.absolute = absolute
        self.entries = entries
        self.candidates = candidates
    }

    private mutating func probe(_ index: Int, _ prober: MediaProber) -> MediaInfo {
        if let info = probes[index] { return info }
        let info = prober.probe(URL(fileURLWithPath: absolute + "/" + entries[index].name))
        probes[index] = info
        return info
    }

    /// Probes the included files and keeps the video and audio ones that the platform would take.
    mutating func findMedia(includes: [PathGlob], options: FolderScanner.Options, summary: inout ScanSummary) {
        for index in candidates {
            let entry = entries[index]
            if includes.isEmpty || includes.contains(where: { $0.matches(relative + entry.name) }) {
                included.insert(index)
            }
            for reading in SidecarName.readings(of: entry.name) {
                sidecars[reading.stem, default: []].append((index, reading))
            }
            guard included.contains(index) else { continue }
            guard entry.size > 0 else {
                fates[index] = .skipped(.empty, detail: nil)
                continue
            }
            let info = probe(index, options.prober)
            switch info.kind {
            case .video, .audio:
                if let duration = info.duration, duration < options.minDuration {
                    fates[index] = .skipped(.tooShort, detail: "\(String(format: "%g", options.minDuration)) s")
                } else if entry.size > options.maxSize {
                    fates[index] = .skipped(.tooLarge, detail: TerminalProgress.bytes(options.maxSize))
                } else {
                    fates[index] = .media
                    media.append(index)
                }
            case .unreadable where info.container == .unknown:
                fates[index] = .skipped(.unreadableFile, detail: nil)
            case .unreadable:
                fates[index] = .skipped(.unreadable, detail: info.container.rawValue)
            default:
                break
            }
        }
    }

    /// Chooses the sidecars of the media file at `index`: one thumbnail, one track per kind and language,
    /// preferring `jpg`, then `jpeg`, `png`, `webp`, and `vtt` before `srt`; each checked by content.
    mutating func pair(_ index: Int, prober: MediaProber) -> Pairing {
        let stem = SidecarName.stem(ofMedia: entries[index].name)
        let readings = (sidecars[stem] ?? []).filter { !isMedia($0.index) }
            .sorted { ($0.name.rank, $0.index) < ($1.name.rank, $1.index) }
        var pairing = Pairing()
        var filled: Set<String> = []
        var chosen: [(index: Int, name: SidecarName)] = []
        for reading in readings {
            let info = probe(reading.index, prober)
            let wanted: MediaKind = reading.name.role == .thumbnail ? .image : .textTrack
            guard info.kind == wanted else {
                mark(reading.index, .skipped(.unusableSidecar, detail: nil))
                continue
            }
            guard filled.insert(reading.name.slot).inserted else {
                mark(reading.index, .skipped(.extraSidecar, detail: nil))
                continue
            }
            fates[reading.index] = .paired
            chosen.append(reading)
        }
        chosen.sort { (rank($0.name.role), $0.index) < (rank($1.name.role), $1.index) }
        for reading in chosen {
            let name = entries[reading.index].name
            switch reading.name.role {
            case .thumbnail:
                pairing.thumbnail = name
            case .captions:
                pairing.tracks.append(
                    ScannedTrack(
                        path: name, kind: "captions", language: reading.name.language,
                        label: reading.name.language.map(ScanLanguages.label(for:))))
            case .chapters:
                pairing.tracks.append(ScannedTrack(path: name, kind: "chapters", language: reading.name.language))
            }
        }
        return pairing
    }

    private func isMedia(_ index: Int) -> Bool {
        if case .media? = fates[index] { return true }
        return false
    }

    private func rank(_ role: SidecarName.Role) -> Int {
        switch role {
        case .thumbnail: return 0
        case .captions: return 1
        case .chapters: return 2
        }
    }

    /// Records a reason unless the file is already paired (a sidecar shared by `ep1.mp4` and `ep1.mov`
    /// may be refused by one and taken by the other) or skipped for a stronger one.
    private mutating func mark(_ index: Int, _ fate: Fate) {
        switch fates[index] {
        case .paired?, .media?: return
        case .skipped(.extraSidecar, _)? where !isExtra(fate): return
        default: fates[index] = fate
        }
    }

    private func isExtra(_ fate: Fate) -> Bool {
        if case .skipped(.extraSidecar, _) = fate { return true }
        return false
    }

    /// Counts every file that is not media: paired sidecars, and the others with their reason.
    func reportRest(summary: inout ScanSummary) {
        for index in candidates {
            let path = relative + entries[index].name
            switch fates[index] ?? .undecided {
            case .media: continue
            case .paired: summary.skip(path, .sidecarPaired)
            case .skipped(let reason, let detail): summary.skip(path, reason, detail: detail)
            case .undecided:
                if let info = probes[index] {
                    summary.skip(path, .notMedia, detail: info.kind.rawValue)
                } else {
                    summary.skip(path, .notIncluded)
                }
            }
        }
    }
}
