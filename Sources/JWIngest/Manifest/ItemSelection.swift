import Foundation

/// Which of a manifest's items a run, plan or validation takes: ids named (`--only`, `--from-file`),
/// globs on the id or the path (`--include`, `--exclude`), the items whose last attempt failed
/// (`--failed`, from the journal), and a sample of the first N left (`--limit`). An empty selection takes
/// every item.
///
/// ```swift
/// var selection = ItemSelection()
/// selection.only = ["ep-001", "ep-002"]
/// selection.limit = 10
/// manifest = try selection.apply(to: manifest)
/// ```
public struct ItemSelection: Sendable, Hashable {
    /// Ids to take (the union of `--only` and `--from-file`); empty: no such filter.
    public var only: [String] = []
    /// Globs, read as `scan` reads them (`*`, `?`, `[…]`, `**` across folders; without `/`, the last
    /// component), matched against the id, the file's path relative to the manifest's folder, and a URL;
    /// an item matching any is taken. Empty: no such filter.
    public var include: [String] = []
    /// Globs as ``include``; an item matching any is left out (after ``include``).
    public var exclude: [String] = []
    /// The ids whose last attempt failed, from the journal, when `--failed` asks for them; `nil`: no such
    /// filter.
    public var failed: Set<String>?
    /// Take at most this many of the items left, in manifest order.
    public var limit: Int?

    /// Selects nothing out: every item.
    public init() {}

    /// Whether it leaves every item in.
    public var isEmpty: Bool {
        only.isEmpty && include.isEmpty && exclude.isEmpty && failed == nil && limit == nil
    }

    /// `manifest` with only the selected items, in their order.
    ///
    /// - Throws: ``ManifestError`` for an id named that the manifest does not have (with the nearest id),
    ///   or a selection that leaves no item.
    public func apply(to manifest: Manifest) throws -> Manifest {
        guard !isEmpty else { return manifest }
        let ids = manifest.items.map(\.id)
        let known = Set(ids)
        let at = SourcePosition(file: "the command line")
        var problems: [ManifestProblem] = []
        for id in only where !known.contains(id) {
            var message = "no item '\(id)' in the manifest"
            if let nearest = NearestName.suggestion(for: id, among: ids) { message += "; did you mean '\(nearest)'?" }
            problems.append(ManifestProblem(message, at: at))
        }
        if !problems.isEmpty { throw ManifestError(problems: problems) }
        let folder = manifest.source.deletingLastPathComponent().standardizedFileURL.path
        let wanted = Set(only)
        let (includes, excludes) = (include.map(PathGlob.init), exclude.map(PathGlob.init))
        var selected = manifest.items.filter { item in
            if !wanted.isEmpty, !wanted.contains(item.id) { return false }
            if let failed, !failed.contains(item.id) { return false }
            let names = Self.names(of: item, folder: folder)
            if !includes.isEmpty, !includes.contains(where: { glob in names.contains(where: glob.matches) }) {
                return false
            }
            return !excludes.contains { glob in names.contains(where: glob.matches) }
        }
        if let limit { selected = Array(selected.prefix(max(0, limit))) }
        guard !selected.isEmpty else {
            throw ManifestError(problems: [
                ManifestProblem(
                    "the selection leaves no item of the \(manifest.items.count) (check --only, --include, "
                        + "--exclude, --from-file, --failed, --limit)", at: at)
            ])
        }
        var picked = manifest
        picked.items = selected
        return picked
    }

    /// What a glob is matched against: the id, the file's path relative to `folder` (or as written when it
    /// is outside), its absolute path, and a URL.
    static func names(of item: IngestItem, folder: String) -> [String] {
        var names = [item.id]
        switch item.source {
        case .file(let url):
            let path = url.standardizedFileURL.path
            if path.hasPrefix(folder + "/") { names.append(String(path.dropFirst(folder.count + 1))) }
            names.append(path)
        case .url(let address):
            names.append(address)
        }
        return names
    }

    /// Reads ids from a file: one a line, blanks and `#` comments ignored.
    ///
    /// - Throws: ``ManifestError`` naming the file when it cannot be read.
    public static func ids(fromFile url: URL) throws -> [String] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ManifestError(problems: [
                ManifestProblem(
                    "cannot read the id list: \(error.localizedDescription)", at: SourcePosition(file: url.path))
            ])
        }
        return text.split(whereSeparator: \.isNewline).map {
            String($0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
    }
}
