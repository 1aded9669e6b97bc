import ArgumentParser
import Foundation
import JWIngest

/// `--only`, `--include`, `--exclude`, `--from-file`, `--failed` and `--limit`: which items of the manifest
/// a run, plan or validation takes (a trial on a sample, one item again, the failures of last night).
struct ItemPickingOptions: ParsableArguments {
    @Option(
        name: .customLong("only"), parsing: .upToNextOption,
        help: ArgumentHelp("Only these item ids (space- or comma-separated; repeatable).", valueName: "id"))
    var only: [String] = []
    @Option(
        name: .customLong("include"),
        help: ArgumentHelp(
            "Only items whose id or path matches the glob (*, ?, [..], ** across folders); repeatable.",
            valueName: "glob"))
    var include: [String] = []
    @Option(
        name: .customLong("exclude"),
        help: ArgumentHelp("Leave out items whose id or path matches the glob; repeatable.", valueName: "glob"))
    var exclude: [String] = []
    @Option(
        name: .customLong("from-file"),
        help: ArgumentHelp("Only the ids listed in this file, one a line (# comments).", valueName: "file"))
    var fromFile: String?
    @Flag(name: .customLong("failed"), help: "Only the items whose last attempt failed, from the journal.")
    var failed = false
    @Option(
        name: .customLong("limit"), help: ArgumentHelp("At most N items (a sample for a trial).", valueName: "n"))
    var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
    }

    /// Whether any item is picked out.
    var picks: Bool {
        !only.isEmpty || !include.isEmpty || !exclude.isEmpty || fromFile != nil || failed || limit != nil
    }

    /// The selection these options ask for; `failedIDs` reads the journal when `--failed` is given.
    ///
    /// - Throws: ``ManifestError`` when the id file cannot be read; what `failedIDs` throws.
    func selection(failedIDs: () async throws -> Set<String>) async throws -> ItemSelection {
        var selection = ItemSelection()
        selection.only = only.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
        if let fromFile { selection.only += try ItemSelection.ids(fromFile: URL(fileURLWithPath: fromFile)) }
        selection.include = include
        selection.exclude = exclude
        selection.limit = limit
        if failed { selection.failed = try await failedIDs() }
        return selection
    }
}
