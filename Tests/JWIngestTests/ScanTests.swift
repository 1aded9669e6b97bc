import Foundation
import JWTestSupport
import Testing

@testable import JWIngest

/// `jwingest scan`: manifests made from folders, valid as written, with stable ids.
@Suite("scan: manifests from folders")
struct ScanTests {
    static let media = IngestFixtures.manifests.appendingPathComponent("media")

    /// A tree with nested folders, sidecars, a text file, an unknown binary and a symlink loop:
    ///
    /// ```
    /// media/ep1.mp4 ep1.jpg ep1.en.vtt ep1.fr.srt ep1.chapters.srt notes.txt blob.bin
    /// media/season1/my_great-video.mp4 my_great-video.png (a fake) short.mp4 ep2.mp4 ep2.webm.jpg
    /// media/season1/extras/ep3.mp4 ep3.de-AT.vtt loop -> ../..
    /// ```
    static func makeTree() throws -> URL {
        let folder = try TestMedia.temporaryFolder("jwingest-scan")
        let root = folder.appendingPathComponent("media")
        let extras = root.appendingPathComponent("season1/extras")
        try FileManager.default.createDirectory(at: extras, withIntermediateDirectories: true)
        let copies = [
            ("intro.mp4", "ep1.mp4"), ("intro.jpg", "ep1.jpg"), ("intro.en.vtt", "ep1.en.vtt"),
            ("intro.fr.vtt", "ep1.fr.srt"), ("night-train.chapters.srt", "ep1.chapters.srt"),
            ("harbour.mp4", "season1/my_great-video.mp4"), ("fake-thumbnail.jpg", "season1/my_great-video.png"),
            ("short.mp4", "season1/short.mp4"), ("intro.mp4", "season1/ep2.mp4"),
            ("night-train.mp4", "season1/extras/ep3.mp4"), ("harbour.en.vtt", "season1/extras/ep3.de-AT.vtt"),
        ]
        for (source, target) in copies {
            try FileManager.default.copyItem(
                at: media.appendingPathComponent(source), to: root.appendingPathComponent(target))
        }
        try Data("just notes\n".utf8).write(to: root.appendingPathComponent("notes.txt"))
        try Data((0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(
            to: root.appendingPathComponent("blob.bin"))
        try FileManager.default.createSymbolicLink(
            atPath: extras.appendingPathComponent("loop").path, withDestinationPath: "../..")
        return folder
    }

    static func read(_ url: URL) throws -> String { String(decoding: try Data(contentsOf: url), as: UTF8.self) }

    @Test("a nested tree gives a valid YAML manifest: sidecars paired, languages labelled, same ids on a re-scan")
    func yamlManifestOfATree() throws {
        let folder = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("catalog.yaml")
        let scanner = FolderScanner(root: folder.appendingPathComponent("media"))
        let summary = try scanner.writeManifest(to: output)
        let written = try Self.read(output)
        let validation = ManifestValidation.run(output)
        #expect(validation.problems.isEmpty, "\(validation.problems)\n\(written)")
        let items = try #require(validation.manifest?.items)
        #expect(items.map(\.id) == ["ep1", "season1-ep2", "season1-my_great-video", "season1-extras-ep3"])
        let ep1 = items[0]
        #expect(ep1.file?.lastPathComponent == "ep1.mp4")
        #expect(ep1.thumbnail?.lastPathComponent == "ep1.jpg")
        #expect(ep1.metadata.title == "Ep1")
        #expect(
            ep1.tracks.map {
                [$0.file.lastPathComponent, $0.metadata.kind, $0.metadata.language ?? "-", $0.metadata.label ?? "-"]
            }
                == [
                    ["ep1.en.vtt", "captions", "en", "English"], ["ep1.fr.srt", "captions", "fr", "French"],
                    ["ep1.chapters.srt", "chapters", "-", "-"],
                ])
        #expect(items[2].metadata.title == "My great video")
        #expect(items[2].thumbnail == nil, "the .png is not an image")
        #expect(items[3].tracks.first?.metadata.label == "German (de-AT)")
        #expect(summary.items == 4)
        #expect(summary.skipped[.notMedia] == 2)
        #expect(summary.details[.notMedia] == ["unknown"])
        #expect(summary.skipped[.sidecarPaired] == 5)
        #expect(summary.skipped[.tooShort] == 1)
        #expect(summary.skipped[.unusableSidecar] == 1)
        #expect(summary.skipped[.folderRevisited] == 1)
        let text = summary.description
        #expect(text.contains("skipped 10: 5 sidecars paired, 2 not media (unknown), "), "\(text)")
        #expect(text.contains("  not media: blob.bin, notes.txt"))
        #expect(text.contains("season1/extras/loop/"))
        #expect(text.contains("season1/my_great-video.png"))
        let first = try Self.read(output)
        _ = try scanner.writeManifest(to: output)
        #expect(try Self.read(output) == first)
        #expect(first.contains("file: media/ep1.mp4"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test("CSV output is valid too, with one column per caption language and chapters under und")
    func csvManifest() throws {
        let folder = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sub = folder.appendingPathComponent("manifests")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let output = sub.appendingPathComponent("catalog.csv")
        _ = try FolderScanner(root: folder.appendingPathComponent("media")).writeManifest(to: output)
        let text = try Self.read(output)
        #expect(
            text.hasPrefix("id,file,title,thumbnail,captions.de-AT,captions.en,captions.fr,chapters.und\r\n"), "\(text)"
        )
        #expect(text.contains("ep1,../media/ep1.mp4,Ep1,../media/ep1.jpg,"))
        let validation = ManifestValidation.run(output)
        #expect(validation.problems.isEmpty, "\(validation.problems)\n\(text)")
        let ep1 = try #require(validation.manifest?.items.first)
        #expect(Set(ep1.tracks.map { $0.metadata.language ?? "-" }) == ["en", "fr", "und"])
        #expect(validation.manifest?.items.count == 4)
    }

    @Test("--include and --exclude: ** crosses folders, a pattern without / matches names, folders are pruned")
    func includeAndExclude() throws {
        let folder = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = folder.appendingPathComponent("media")
        var ids: [String] = []
        let options = FolderScanner.Options(includes: ["season1/**"], excludes: ["extras", "*.txt"])
        let summary = try FolderScanner(root: root, options: options).scan { ids.append($0.id) }
        #expect(ids == ["season1-ep2", "season1-my_great-video"])
        #expect(summary.skipped[.folderExcluded] == 1)
        #expect(summary.skipped[.excluded] == 1)
        #expect(summary.examples[.excluded] == ["notes.txt"])
        #expect(summary.skipped[.notIncluded] == 6, "\(summary)")
        var paired: [ScannedItem] = []
        let sidecars = FolderScanner.Options(includes: ["*.mp4"], excludes: ["**/*.fr.srt"])
        _ = try FolderScanner(root: root, options: sidecars).scan { paired.append($0) }
        #expect(paired.first?.thumbnail == "ep1.jpg", "sidecars of included media are paired")
        #expect(paired.first?.tracks.map(\.path) == ["ep1.en.vtt", "ep1.chapters.srt"])
    }

    @Test(
        "globs",
        arguments: [
            ("*.mp4", "a/b/c.mp4", true), ("a/*.mp4", "a/b/c.mp4", false), ("a/**/*.mp4", "a/c.mp4", true),
            ("a/**/*.mp4", "a/b/x/c.mp4", true), ("**", "a/b", true), ("a/?.mp4", "a/c.mp4", true),
            ("[!a]*.mp4", "b.mp4", true), ("[a-c]*", "d", false), ("season1/**", "season1/x/y.mp4", true),
            ("season1/**", "season10/y.mp4", false), ("./a/*.mp4", "a/b.mp4", true),
        ])
    func globs(pattern: String, path: String, matches: Bool) {
        #expect(PathGlob(pattern).matches(path) == matches)
    }

    @Test("ids: lower case, a-z 0-9 - _ only; collisions get a hash of the path, the same on every scan")
    func identifiers() {
        #expect(ScanIdentifiers.base(for: "season1/ep1.mp4") == "season1-ep1")
        #expect(ScanIdentifiers.base(for: "Saison Été/Épisode #2 (final).MOV") == "saison-ete-episode-2-final")
        #expect(ScanIdentifiers.base(for: "日本.mp4") == "item")
        #expect(ScanIdentifiers.base(for: ".hidden") == "hidden")
        let paths = ["a-b/c.mp4", "a/b-c.mp4", "a/b/c.mp4", "a/b/c.mov", "a-b-c.mp4", "a-b-c-1.mp4"]
        func scan() -> [String] {
            var ids = ScanIdentifiers(prefix: "show_")
            return paths.map { ids.id(for: $0) }
        }
        let first = scan()
        #expect(Set(first).count == paths.count)
        #expect(first == scan())
        #expect(first[0] == "show_a-b-c")
        #expect(first.dropFirst().allSatisfy { $0.hasPrefix("show_a-b-c-") })
        #expect(first[1].count == "show_a-b-c-".count + 8)
        #expect(
            first.allSatisfy {
                $0.unicodeScalars.allSatisfy { "abcdefghijklmnopqrstuvwxyz0123456789-_".unicodeScalars.contains($0) }
            })
        #expect(!ScanIdentifiers.isValidPrefix("Show:"))
    }

    @Test(
        "titles from names",
        arguments: [
            ("my_great-video.mp4", "My great video"), ("NASA_launch.mov", "NASA launch"), ("__.mp4", "__.mp4"),
            ("été 2024.mp4", "Été 2024"),
        ])
    func titles(name: String, title: String) {
        #expect(ScanTitles.title(forFileName: name) == title)
    }

    @Test("--metadata: titles and fields by relative path survive YAML and CSV; a row for no file is a warning")
    func metadata() throws {
        let folder = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tricky = "Ep: one # \"quoted\" 'single' — ünïcødé 日本\\ yes"
        let csv = """
            path,title,description,tags,date,custom.season,link
            ep1.mp4,"\(tricky.replacingOccurrences(of: "\"", with: "\"\""))","Line one
            line two",drama|s1,2024-05-01,1,https://example.com/a?b=c#d
            ./season1/ep2.mp4,true,,,,,
            season1/gone.mp4,Nothing,,,,,
            """
        let metadata = try ScanMetadata.parse(csv, file: "titles.csv")
        let options = FolderScanner.Options(metadata: metadata)
        for name in ["catalog.yaml", "catalog.csv"] {
            let output = folder.appendingPathComponent(name)
            let summary = try FolderScanner(root: folder.appendingPathComponent("media"), options: options)
                .writeManifest(to: output)
            #expect(summary.warnings.count == 1)
            #expect(summary.warnings.first?.contains("row 4: path \"season1/gone.mp4\"") == true, "\(summary.warnings)")
            let manifest = try Manifest.load(from: output)
            let ep1 = try #require(manifest.items.first)
            #expect(ep1.metadata.title == tricky, "\(name)")
            #expect(ep1.metadata.description == "Line one\nline two")
            #expect(ep1.metadata.tags == ["drama", "s1"])
            #expect(ep1.metadata.link == "https://example.com/a?b=c#d")
            #expect(ep1.metadata.date != nil)
            #expect(ep1.metadata.custom.map(\.name) == ["season"])
            #expect(manifest.items[1].metadata.title == "true")
            #expect(ManifestValidation.run(output).problems.isEmpty)
        }
    }

    @Test(
        "bad --metadata files are refused with the line",
        arguments: [
            ("path,titel\na.mp4,x\n", "did you mean 'title'"), ("title\nx\n", "no 'path' column"),
            ("path,date\na.mp4,yesterday\n", "row 2: date must be"), ("path\na.mp4\n./a.mp4\n", "given twice"),
            ("path,custom.ingest_id\na,b\n", "custom.ingest_id"),
        ])
    func badMetadata(text: String, message: String) {
        #expect {
            try ScanMetadata.parse(text, file: "m.csv")
        } throws: { error in
            (error as? ScanError)?.code == .metadata && "\(error)".contains(message)
        }
    }

    @Test(
        "YAML scalars: plain only when safe",
        arguments: [
            ("Ep1", "Ep1"), ("yes", "\"yes\""), ("2024", "\"2024\""), ("a: b", "\"a: b\""), ("- x", "\"- x\""),
            ("../media/a.mp4", "../media/a.mp4"), ("tab\there", "\"tab\\there\""), ("", "\"\""),
            ("bom\u{FEFF}", "\"bom\\uFEFF\""),
        ])
    func yamlScalars(text: String, written: String) {
        #expect(YAMLScanWriter.scalar(text) == written)
    }

    @Test("the command: YAML on standard output, the summary on standard error, exit codes 0 and 2")
    func command() async throws {
        let folder = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = folder.appendingPathComponent("media").path
        let printed = try await ChildProcess.run(ChildProcess.jwingest, ["scan", root, "--id-prefix", "x-"])
        #expect(printed.status == 0, "\(printed.standardError)")
        #expect(printed.standardOutput.contains("  - id: x-ep1\n"))
        #expect(printed.standardError.contains("skipped 10: "))
        let output = folder.appendingPathComponent("out.yaml").path
        let written = try await ChildProcess.run(
            ChildProcess.jwingest, ["scan", root, "--out", output, "--exclude", "*.txt"])
        #expect(written.status == 0, "\(written.standardError)")
        #expect(written.standardError.contains("1 excluded by --exclude"))
        let validated = try await ChildProcess.run(ChildProcess.jwingest, ["validate", output])
        #expect(validated.status == 0, "\(validated.standardOutput)\(validated.standardError)")
        let badMetadata = folder.appendingPathComponent("bad.csv")
        try Data("name,title\n".utf8).write(to: badMetadata)
        for arguments in [
            ["scan", folder.appendingPathComponent("missing").path], ["scan", root, "--out", "x.json"],
            ["scan", root, "--metadata", badMetadata.path], ["scan", root, "--out", "/nonexistent/m.yaml"],
            ["scan", root, "--id-prefix", "A B"],
        ] {
            let refused = try await ChildProcess.run(ChildProcess.jwingest, arguments)
            #expect(refused.status == 2, "\(arguments): \(refused.standardError)")
            #expect(!refused.standardError.isEmpty)
        }
        let help = try await ChildProcess.run(ChildProcess.jwingest, ["scan", "--help"])
        #expect(help.standardOutput.contains("Example: jwingest scan media --out catalog.yaml"))
    }
}
