import Foundation
import MediaProbe

/// The state of one scan: the folders still to walk (a stack of sorted names per level), the folders
/// already walked, the ids given, the summary. Each folder is listed, its files turned into items and
/// handed on, and its listing dropped before the next folder is listed.
struct ScanWalk {
    /// A folder being walked: its subfolders not walked yet, last first.
    private struct Frame {
        var relative: String
        var absolute: String
        var pending: [String]
    }

    let options: FolderScanner.Options
    let ignored: Set<FileIdentity>
    private let includes: [PathGlob]
    private let excludes: [PathGlob]
    private var identifiers: ScanIdentifiers
    private var visited: Set<FileIdentity> = []
    private var usedMetadata: Set<String> = []
    private(set) var summary = ScanSummary()

    init(options: FolderScanner.Options, ignored: Set<FileIdentity>) {
        self.options = options
        self.ignored = ignored
        self.includes = options.includes.map(PathGlob.init)
        self.excludes = options.excludes.map(PathGlob.init)
        self.identifiers = ScanIdentifiers(prefix: options.idPrefix)
    }

    /// Walks from the top folder, whose entries the caller listed (to report an unreadable top folder).
    mutating func run(top: String, entries: [DirectoryEntry], _ emit: (ScannedItem) throws -> Void) throws {
        if let identity = FileIdentity(path: top) { visited.insert(identity) }
        var stack = [try visit(relative: "", absolute: top, entries: entries, emit)]
        while !stack.isEmpty {
            guard let name = stack[stack.count - 1].pending.popLast() else {
                stack.removeLast()
                continue
            }
            let parent = stack[stack.count - 1]
            let relative = parent.relative + name
            let absolute = parent.absolute + "/" + name
            guard let identity = FileIdentity(path: absolute), visited.insert(identity).inserted else {
                summary.skip(relative + "/", .folderRevisited)
                continue
            }
            let listed: [DirectoryEntry]
            do {
                listed = try DirectoryListing.entries(of: absolute)
            } catch {
                summary.skip(relative + "/", .folderUnreadable, detail: "\(error)")
                continue
            }
            stack.append(try visit(relative: relative + "/", absolute: absolute, entries: listed, emit))
        }
    }

    /// The summary, with a warning for every metadata row that named no item.
    mutating func finish() -> ScanSummary {
        if let metadata = options.metadata { summary.warnings += metadata.unusedRows(usedMetadata) }
        return summary
    }

    /// Turns the files of one folder into items, and returns the frame of its subfolders.
    private mutating func visit(
        relative: String, absolute: String, entries: [DirectoryEntry], _ emit: (ScannedItem) throws -> Void
    ) throws -> Frame {
        summary.folders += 1
        var subfolders: [String] = []
        var files: [Int] = []
        for (index, entry) in entries.enumerated() {
            let path = relative + entry.name
            if let identity = entry.identity, ignored.contains(identity) { continue }
            guard entry.isUTF8 else {
                summary.skip(path, .nameNotUTF8)
                continue
            }
            switch entry.kind {
            case .folder:
                if excludes.contains(where: { $0.matches(path) }) {
                    summary.skip(path + "/", .folderExcluded)
                } else {
                    subfolders.append(entry.name)
                }
            case .file:
                summary.files += 1
                if excludes.contains(where: { $0.matches(path) }) {
                    summary.skip(path, .excluded)
                } else {
                    files.append(index)
                }
            case .other: summary.skip(path, .notRegular)
            case .brokenSymlink: summary.skip(path, .brokenSymlink)
            case .unreadable: summary.skip(path, .unreadableFile)
            }
        }
        var folder = FolderFiles(relative: relative, absolute: absolute, entries: entries, candidates: files)
        folder.findMedia(includes: includes, options: options, summary: &summary)
        for media in folder.media {
            let paired = folder.pair(media, prober: options.prober)
            try emit(item(for: entries[media], relative: relative, paired: paired))
            summary.items += 1
        }
        folder.reportRest(summary: &summary)
        return Frame(relative: relative, absolute: absolute, pending: subfolders.reversed())
    }

    /// The item of a media file: id, title, metadata, sidecars.
    private mutating func item(for entry: DirectoryEntry, relative: String, paired: FolderFiles.Pairing) -> ScannedItem
    {
        let path = relative + entry.name
        var item = ScannedItem(
            id: identifiers.id(for: path), path: path, title: ScanTitles.title(forFileName: entry.name),
            thumbnail: paired.thumbnail.map { relative + $0 },
            tracks: paired.tracks.map { track in
                var track = track
                track.path = relative + track.path
                return track
            })
        if let row = options.metadata?.row(for: path) {
            usedMetadata.insert(path)
            item.title = row.title ?? item.title
            item.description = row.description
            item.author = row.author
            item.tags = row.tags
            item.date = row.date
            item.link = row.link
            item.custom = row.custom
        }
        return item
    }
}
