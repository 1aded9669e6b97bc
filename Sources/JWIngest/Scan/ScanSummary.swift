/// Why a file found by a scan is not an item of the manifest. An open set of reasons.
public struct ScanSkipReason: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The reason in words, as the summary prints it (`not media`, `excluded by --exclude`).
    public var rawValue: String
    /// Creates a reason.
    ///
    /// - Parameter rawValue: The reason in words.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The reason in words.
    public var description: String { rawValue }
    /// Orders reasons by their words.
    ///
    /// - Parameters:
    ///   - lhs: A reason.
    ///   - rhs: Another reason.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: ScanSkipReason, rhs: ScanSkipReason) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Neither video nor audio: text, images without a media of their name, unknown formats.
    public static let notMedia = ScanSkipReason(rawValue: "not media")
    /// A thumbnail, caption or chapter file paired with a media file: part of that item.
    public static let sidecarPaired = ScanSkipReason(rawValue: "sidecars paired")
    /// Named as a sidecar, but its content is not what the name says (`ep1.jpg` that is not an image).
    public static let unusableSidecar = ScanSkipReason(rawValue: "sidecar names with the wrong content")
    /// A second sidecar of the same role (`ep1.png` beside `ep1.jpg`, `ep1.en.srt` beside `ep1.en.vtt`).
    public static let extraSidecar = ScanSkipReason(rawValue: "extra sidecars (one of each kind is paired)")
    /// Matched by an `--exclude` glob.
    public static let excluded = ScanSkipReason(rawValue: "excluded by --exclude")
    /// Matched by no `--include` glob.
    public static let notIncluded = ScanSkipReason(rawValue: "not matched by --include")
    /// Recognized as a media format, but broken.
    public static let unreadable = ScanSkipReason(rawValue: "broken media")
    /// Empty files.
    public static let empty = ScanSkipReason(rawValue: "empty")
    /// Shorter than the platform's minimum duration.
    public static let tooShort = ScanSkipReason(rawValue: "shorter than min_duration")
    /// Larger than the default `max_size`.
    public static let tooLarge = ScanSkipReason(rawValue: "over max_size")
    /// FIFOs, sockets, devices: never opened.
    public static let notRegular = ScanSkipReason(rawValue: "not regular files")
    /// Symlinks that lead nowhere.
    public static let brokenSymlink = ScanSkipReason(rawValue: "broken symlinks")
    /// Files that could not be read (permission denied).
    public static let unreadableFile = ScanSkipReason(rawValue: "unreadable files")
    /// Names that are not UTF-8: a manifest cannot name them.
    public static let nameNotUTF8 = ScanSkipReason(rawValue: "names not UTF-8")
    /// Folders reached a second time through a symlink (a loop, or a second link to a folder): not
    /// scanned again.
    public static let folderRevisited = ScanSkipReason(rawValue: "folders already scanned (symlink loop)")
    /// Folders that could not be listed.
    public static let folderUnreadable = ScanSkipReason(rawValue: "unreadable folders")
    /// Folders matched by an `--exclude` glob: not walked.
    public static let folderExcluded = ScanSkipReason(rawValue: "folders excluded by --exclude")
}

/// What a scan found: how many items it wrote, and why every other file is not one.
public struct ScanSummary: Sendable, Hashable, CustomStringConvertible {
    /// Items written.
    public var items = 0
    /// Files looked at (regular files and symlinks to them, excluded ones included).
    public var files = 0
    /// Folders walked.
    public var folders = 0
    /// How many files (or folders, for the folder reasons) each reason kept out.
    public var skipped: [ScanSkipReason: Int] = [:]
    /// The first few relative paths of each reason, in walk order.
    public var examples: [ScanSkipReason: [String]] = [:]
    /// Details of each reason: the kinds the probe read (`text-track`, `unknown`) for ``ScanSkipReason/notMedia``.
    public var details: [ScanSkipReason: [String]] = [:]
    /// Warnings: `--metadata` rows that name no item.
    public var warnings: [String] = []
    /// How many examples each reason keeps.
    public var exampleLimit = 3

    /// Creates an empty summary.
    public init() {}

    /// Counts `path` under `reason`, with a detail such as the probed kind.
    ///
    /// - Parameters:
    ///   - path: The path relative to the scanned folder.
    ///   - reason: Why it is not an item.
    ///   - detail: A detail named in parentheses after the reason.
    public mutating func skip(_ path: String, _ reason: ScanSkipReason, detail: String? = nil) {
        skipped[reason, default: 0] += 1
        if examples[reason, default: []].count < exampleLimit { examples[reason, default: []].append(path) }
        if let detail, !details[reason, default: []].contains(detail), details[reason, default: []].count < 8 {
            details[reason, default: []].append(detail)
        }
    }

    /// All skipped, every reason together.
    public var skippedCount: Int { skipped.values.reduce(0, +) }

    /// The reasons, most frequent first (ties by name).
    public var reasons: [ScanSkipReason] {
        skipped.keys.sorted { (skipped[$0]!, $1) > (skipped[$1]!, $0) }
    }

    /// Several lines: what was found, then `skipped N: …` with counts per reason, then the first paths
    /// of each reason, then warnings.
    public var description: String {
        var lines = [
            "scanned \(files) file\(files == 1 ? "" : "s") in \(folders) folder\(folders == 1 ? "" : "s"): "
                + "\(items) item\(items == 1 ? "" : "s")"
        ]
        if !skipped.isEmpty {
            let parts = reasons.map { reason in
                let detail = details[reason].map { " (\($0.sorted().joined(separator: ", ")))" } ?? ""
                return "\(skipped[reason]!) \(reason)\(detail)"
            }
            lines.append("skipped \(skippedCount): \(parts.joined(separator: ", "))")
            for reason in reasons {
                let shown = examples[reason] ?? []
                let more = skipped[reason]! > shown.count ? ", …" : ""
                lines.append("  \(reason): \(shown.joined(separator: ", "))\(more)")
            }
        }
        lines += warnings.map { "warning: \($0)" }
        return lines.joined(separator: "\n")
    }
}
