import ArgumentParser
import Foundation
import JWIngest

/// `jwingest validate MANIFEST`: every check that needs no network, every problem printed.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a manifest and its media without any network call; print every problem.",
        discussion: """
            Checks the manifest's structure (unknown keys with the nearest known one, types, duplicate ids), \
            its pipeline, and each item: the file exists and is within max_size, a video lasts at least \
            min_duration (read from its container, without ffmpeg), thumbnails are images and tracks are \
            WebVTT or SRT by content. The manifest options given on the command line (as to run) apply. Exit \
            codes: 0 no problem; 2 problems found (each printed with its file, line and column or CSV row, \
            and the item id). --only, --include, --exclude, --from-file, --failed and --limit check some items.

            Example: jwingest validate manifests/demo.yaml --only intro,harbour
            """)

    @Argument(help: "The manifest: .yaml, .yml, .json or .csv.") var manifest: String
    @OptionGroup(title: "Manifest options") var overrideOptions: ManifestOverrideOptions
    @OptionGroup(title: "Picking items") var picking: ItemPickingOptions
    @Option(help: ArgumentHelp("The journal that --failed reads (default: beside the manifest).", valueName: "path"))
    var journal: String?
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let url = URL(fileURLWithPath: manifest)
        let overrides = try overrideOptions.overrides()
        var selection = ItemSelection()
        if picking.picks {
            do {
                selection = try await picking.selection {
                    var loaded = try Manifest.load(from: url, displayName: manifest)
                    try overrides.apply(to: &loaded)
                    let api = loaded.options.api
                    return try await FailedItems.ids(
                        of: loaded, journal: try JournalArgument(journal, manifest: url),
                        account: connection.accountKey(api: api), endpoint: connection.endpoint(api: api))
                }
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(ExitStatus.usage)
            }
        }
        let validation = ManifestValidation.run(url, displayName: manifest, overrides: overrides, selection: selection)
        throw ExitCode(DryRun.print(validation, plan: false))
    }
}
