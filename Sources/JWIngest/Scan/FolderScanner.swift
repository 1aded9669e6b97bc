import Foundation
import MediaProbe

/// Walks a folder and turns the media in it into manifest items: the library side of `jwingest scan`.
///
/// Every regular file (symlinks to files followed) is probed by MediaProbe's `MediaProber`, reading its
/// container headers only. Video and audio files become items; thumbnails, captions and chapters named after a media
/// file in the same folder (`ep1.jpg`, `ep1.en.vtt`, `ep1.chapters.srt`) are paired with it once their
/// content is checked; everything else is counted in the ``ScanSummary`` with the reason.
///
/// The scan streams: it lists one folder at a time (entries sorted, for a stable order), hands each item
/// to the caller as soon as its folder is listed, and keeps no list of items. What grows with the tree is
/// a set of folder identities (to walk a symlink loop once) and 8 bytes per id (to keep ids unique).
///
/// ```swift
/// let scanner = FolderScanner(root: URL(fileURLWithPath: "media"))
/// let summary = try scanner.scan { item in print(item.id, item.path) }
/// print(summary)
/// ```
public struct FolderScanner: Sendable {
    /// What to scan and how items are named.
    public struct Options: Sendable {
        /// Globs of the files that may become items (all when empty); see ``excludes`` for the syntax.
        /// Sidecars of an included media file are paired whether they match or not.
        public var includes: [String]
        /// Globs of the files (and folders) left out, matched against the path relative to the scanned
        /// folder: `*` and `?` within a folder name, `**` across folders, `[a-z]` classes; a pattern
        /// without `/` matches the name in any folder. A folder that matches is not walked.
        public var excludes: [String]
        /// Prepended to every id: `a-z`, `0-9`, `-` and `_` only.
        public var idPrefix: String
        /// Titles and metadata keyed by relative path.
        public var metadata: ScanMetadata?
        /// The probe that tells media from the rest.
        public var prober: MediaProber
        /// Media shorter than this many seconds are skipped: the platform refuses them (`min_duration`).
        public var minDuration: Double
        /// Media larger than this many bytes are skipped: validation refuses them (`max_size`).
        public var maxSize: Int64

        /// Creates options.
        ///
        /// - Parameters:
        ///   - includes: Globs of the files that may become items; all when empty.
        ///   - excludes: Globs of the files and folders left out.
        ///   - idPrefix: Prepended to every id.
        ///   - metadata: Titles and metadata keyed by relative path.
        ///   - prober: The probe.
        ///   - minDuration: The shortest media kept, in seconds; a manifest's default `min_duration`.
        ///   - maxSize: The largest media kept, in bytes; a manifest's default `max_size`.
        public init(
            includes: [String] = [], excludes: [String] = [], idPrefix: String = "", metadata: ScanMetadata? = nil,
            prober: MediaProber = MediaProber(), minDuration: Double = ManifestOptions().minDuration,
            maxSize: Int64 = ManifestOptions().maxSize
        ) {
            self.includes = includes
            self.excludes = excludes
            self.idPrefix = idPrefix
            self.metadata = metadata
            self.prober = prober
            self.minDuration = minDuration
            self.maxSize = maxSize
        }
    }

    /// The folder to scan, as given.
    public var root: URL
    /// The options.
    public var options: Options
    /// Files never reported: the manifest being written and its temporary files, when inside the tree.
    var ignored: Set<FileIdentity> = []

    /// Creates a scanner.
    ///
    /// - Parameters:
    ///   - root: The folder to scan.
    ///   - options: What to scan and how items are named.
    public init(root: URL, options: Options = Options()) {
        self.root = root
        self.options = options
    }

    /// The folder to scan with symlinks resolved: paths of the manifest are computed from it.
    ///
    /// - Throws: ``ScanError`` (``ScanError/Code/folder``) when it is missing or not a folder.
    public func resolvedRoot() throws -> URL {
        let path = root.path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ScanError(.folder, "the folder \(path) \(FileStatusErrorText.reason(errno))")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw ScanError(.folder, "\(path) is not a folder; give the folder to scan")
        }
        guard let resolved = realpath(path, nil) else {
            throw ScanError(.folder, "the folder \(path) \(FileStatusErrorText.reason(errno))")
        }
        defer { free(resolved) }
        return URL(fileURLWithPath: String(cString: resolved), isDirectory: true)
    }

    /// Walks the folder and hands every item to `emit` as soon as it is found.
    ///
    /// - Parameter emit: Called once per item, in walk order (each folder's files by name, then its
    ///   subfolders by name); what it throws stops the scan.
    /// - Returns: The counts of items and of skipped files per reason, and warnings.
    /// - Throws: ``ScanError`` when the folder is missing or unreadable, a glob or the id prefix is
    ///   malformed; whatever `emit` throws.
    public func scan(_ emit: (ScannedItem) throws -> Void) throws -> ScanSummary {
        guard ScanIdentifiers.isValidPrefix(options.idPrefix) else {
            throw ScanError(
                .options, "the id prefix \(options.idPrefix.debugDescription) may hold only a-z, 0-9, - and _")
        }
        for pattern in options.includes + options.excludes where pattern.isEmpty {
            throw ScanError(.options, "an empty glob matches nothing; give a pattern such as '*.mp4' or 'season1/**'")
        }
        let top = try resolvedRoot()
        let entries: [DirectoryEntry]
        do {
            entries = try DirectoryListing.entries(of: top.path)
        } catch {
            throw ScanError(.folder, "the folder \(root.path) cannot be read: \(error)")
        }
        var walk = ScanWalk(options: options, ignored: ignored)
        try walk.run(top: top.path, entries: entries, emit)
        return walk.finish()
    }
}

/// `does not exist`, `is not readable (permission denied)`, or the system's words for an `errno`.
enum FileStatusErrorText {
    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "does not exist"
        case EACCES: return "is not readable (permission denied)"
        default: return "cannot be read: \(String(cString: strerror(code)))"
        }
    }
}
