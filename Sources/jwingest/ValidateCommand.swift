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
            and the item id).
            """)

    @Argument(help: "The manifest: .yaml, .yml, .json or .csv.") var manifest: String
    @OptionGroup(title: "Manifest options") var overrideOptions: ManifestOverrideOptions

    func run() async throws {
        let validation = ManifestValidation.run(
            URL(fileURLWithPath: manifest), displayName: manifest, overrides: try overrideOptions.overrides())
        throw ExitCode(DryRun.print(validation, plan: false))
    }
}
