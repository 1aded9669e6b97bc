import ArgumentParser
import Foundation
import JWIngest

/// `jwingest scan DIR`: a manifest made from a folder of media.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Write a manifest of the media in a folder, with sidecars paired by name.",
        discussion: """
            Probes every file under DIR (container headers only, no ffmpeg) and writes one item per video \
            or audio file, in a stable order: each folder's files by name, then its subfolders. Beside \
            ep1.mp4, ep1.jpg (.jpeg, .png, .webp) becomes its thumbnail, ep1.en.vtt (.srt) English captions \
            and ep1.chapters.vtt its chapters, once their content is checked. Ids come from the relative \
            path (season1/ep1.mp4 -> season1-ep1; a collision gets a short hash of the path), titles from \
            the name (my_great-video.mp4 -> "My great video") or from --metadata. Paths in the manifest are \
            relative to its folder. Files that are not items are counted per reason on standard error, with \
            the first paths of each. Symlinks to files are followed; a folder is walked once, however many \
            symlinks lead to it.

            Globs: * and ? within a folder name, ** across folders, [a-z] classes; a pattern without / \
            matches the file's name in any folder. Exit codes: 0 the manifest was written (even with skipped \
            files); 1 writing it failed; 2 usage error (DIR missing or unreadable, --out in an unknown format \
            or a missing folder, a bad --metadata file, a bad glob or id prefix).

            Example: jwingest scan media --out catalog.yaml --exclude 'drafts/**' --metadata titles.csv
            """)

    @Argument(help: ArgumentHelp("The folder to scan.", valueName: "dir"))
    var folder: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The manifest to write: .yaml/.yml (YAML) or .csv (CSV). Standard output (YAML) by default.",
            valueName: "file"))
    var out: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Only files matching this glob become items (repeatable).", valueName: "glob"))
    var include: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp("Leave out files and folders matching this glob (repeatable).", valueName: "glob"))
    var exclude: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A CSV keyed by relative path: path plus any of title, description, author, tags, date, link, "
                + "custom.<name>.", valueName: "csv"))
    var metadata: String?

    @Option(name: .long, help: ArgumentHelp("Prepended to every id (a-z, 0-9, - and _).", valueName: "prefix"))
    var idPrefix: String = ""

    func validate() throws {
        if let out, ScanManifestFormat(path: out) == nil {
            throw ValidationError("--out \(out): unknown manifest format; end the name with .yaml, .yml or .csv")
        }
        if out?.isEmpty == true { throw ValidationError("--out needs a file name") }
    }

    func run() throws {
        do {
            var options = FolderScanner.Options(includes: include, excludes: exclude, idPrefix: idPrefix)
            if let metadata { options.metadata = try ScanMetadata.load(from: URL(fileURLWithPath: metadata)) }
            let scanner = FolderScanner(root: URL(fileURLWithPath: folder), options: options)
            let summary = try scanner.writeManifest(to: out.map { URL(fileURLWithPath: $0) })
            var text = summary.description
            if let out { text += "\nwrote \(out)" }
            FileHandle.standardError.write(Data((text + "\n").utf8))
        } catch let error as ScanError {
            FileHandle.standardError.write(Data("jwingest scan: \(error.message)\n".utf8))
            throw ExitCode(error.isUsageError ? ExitStatus.usage : ExitStatus.failure)
        }
    }
}
