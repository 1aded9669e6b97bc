import Foundation
import JWPlatform
import Testing

@testable import JWIngest

/// Manifests as users write them: YAML, JSON and CSV read to one model, and every mistake reported with
/// where it is and what to do.
@Suite("manifests: YAML, JSON and CSV, one schema")
struct ManifestParsingTests {
    static let source = URL(fileURLWithPath: "/media/library/show.yaml")

    @Test("a full YAML manifest: defaults merged, options, pipeline entries with options, tracks, redirect")
    func fullYAML() throws {
        let manifest = try Manifest.parse(
            """
            version: 1
            defaults:
              author: Archive
              tags: [archive]
              custom: {source: vhs, decade: "1990"}
            options:
              upload_method: s3
              api_format: php
              concurrency: 6
              stage_limits: {upload: 2, create: 3}
              retries: 5
              max_size: 2GiB
              min_duration: 2.5
            pipeline: [validate, create, upload, verify, {name: wait-ready, timeout: 90}]
            items:
              - id: ep1
                file: clips/ep1.mp4
                title: "Episode 1"
                tags: a|b
                date: 2024-05-01T10:00:00Z
                custom: {decade: "1980", reel: "7"}
                thumbnail: /abs/ep1.jpg
                tracks:
                  - {file: subs/ep1.vtt, kind: captions, label: English, language: en}
                redirect: {address: "https://example.com/done", query: {item: ep1}, key_in_path: true}
              - id: ep2
                url: https://cdn.example.com/ep2.mp4
                date: 1714640400
            """, source: Self.source)
        #expect(manifest.options.uploadMethod == .s3)
        #expect(manifest.options.apiFormat == .php)
        #expect(manifest.options.concurrency == 6)
        #expect(manifest.options.stageLimits == ["upload": 2, "create": 3])
        #expect(manifest.options.retries == 5)
        #expect(manifest.options.maxSize == 2 << 30)
        #expect(manifest.options.minDuration == 2.5)
        #expect(manifest.pipeline.map(\.name) == ["validate", "create", "upload", "verify", "wait-ready"])
        #expect(manifest.pipeline.last?.options == ["timeout": "90"])
        let first = try #require(manifest.items.first)
        #expect(first.file?.path == "/media/library/clips/ep1.mp4")
        #expect(first.metadata.title == "Episode 1")
        #expect(first.metadata.author == "Archive")
        #expect(first.metadata.tags == ["a", "b"])
        #expect(first.metadata.date == Date(timeIntervalSince1970: 1_714_557_600))
        #expect(first.metadata.custom.map(\.name) == ["source", "decade", "reel"])
        #expect(first.metadata.custom.first { $0.name == "decade" }?.value == "1980")
        #expect(first.thumbnail?.path == "/abs/ep1.jpg")
        #expect(first.tracks.first?.file.path == "/media/library/subs/ep1.vtt")
        #expect(first.tracks.first?.metadata == TrackMetadata(kind: "captions", label: "English", language: "en"))
        #expect(first.redirect?.keyInPath == true)
        #expect(first.redirect?.query == [APIParameters.Parameter(name: "item", value: "ep1")])
        let second = try #require(manifest.items.last)
        #expect(second.source == .url("https://cdn.example.com/ep2.mp4"))
        #expect(second.metadata.tags == ["archive"])
        #expect(second.metadata.date == Date(timeIntervalSince1970: 1_714_640_400))
        #expect(second.position.line == 26)
    }

    @Test("JSON is read with the same schema and positions")
    func json() throws {
        let source = URL(fileURLWithPath: "/m/list.json")
        let manifest = try Manifest.parse(
            #"{"version": 1, "items": [{"id": "a", "file": "a.mp4", "tags": ["x", "y"], "custom": {"n": 1}}]}"#,
            source: source)
        #expect(manifest.items.first?.metadata.tags == ["x", "y"])
        #expect(manifest.items.first?.metadata.custom == [APIParameters.Parameter(name: "n", value: "1")])
        #expect(manifest.pipeline.map(\.name) == PipelineStep.defaultNames)
        let error = #expect(throws: ManifestError.self) {
            try Manifest.parse(#"{"version": 1, "items": [{"id": "a", "flie": "a.mp4"}]}"#, source: source)
        }
        let messages = error?.problems.map(\.description) ?? []
        #expect(messages.contains { $0.contains("list.json:1:") && $0.contains("'flie'") && $0.contains("'file'") })
    }

    @Test("CSV: quoted commas, tags split by | or ,, custom.* and captions.* columns, empty cells keep defaults")
    func csv() throws {
        let source = URL(fileURLWithPath: "/lib/migration.csv")
        let manifest = try Manifest.parse(
            #"""
            id,file,title,description,tags,date,custom.legacy_id,captions.en,chapters.en
            a1,media/a.mp4,A,"Hello, world",x|y,2024-05-01,L-1,media/a.en.vtt,
            a2,media/b.mp4,"B ""quoted""",,"p, q",1714640400,,,media/b.srt
            """#, source: source)
        #expect(manifest.items.count == 2)
        let a1 = manifest.items[0]
        #expect(a1.metadata.description == "Hello, world")
        #expect(a1.metadata.tags == ["x", "y"])
        #expect(a1.metadata.custom == [APIParameters.Parameter(name: "legacy_id", value: "L-1")])
        #expect(a1.tracks.map(\.metadata.kind) == ["captions"])
        #expect(a1.tracks.first?.metadata.language == "en")
        #expect(a1.position.row == 2)
        #expect(a1.position.description == "migration.csv row 2")
        let a2 = manifest.items[1]
        #expect(a2.metadata.title == #"B "quoted""#)
        #expect(a2.metadata.description == nil)
        #expect(a2.metadata.tags == ["p", "q"])
        #expect(a2.tracks.map(\.metadata.kind) == ["chapters"])
        #expect(a2.file?.path == "/lib/media/b.mp4")
    }

    @Test("CSV mistakes: an unknown column with the nearest known one, a row of the wrong width")
    func csvMistakes() throws {
        let source = URL(fileURLWithPath: "/lib/bad.csv")
        let error = #expect(throws: ManifestError.self) {
            try Manifest.parse("id,file,titel\na,a.mp4,A\nb,b.mp4,B,extra\n", source: source)
        }
        let messages = error?.problems.map(\.description) ?? []
        #expect(
            messages.contains { $0.hasPrefix("bad.csv row 1 (column titel)") && $0.contains("did you mean 'title'") })
        #expect(messages.contains { $0.hasPrefix("bad.csv row 3:") && $0.contains("4 cells") })
    }

    @Test("every structural problem is reported at once, each with line, column and item")
    func problemsTogether() throws {
        let error = #expect(throws: ManifestError.self) {
            try Manifest.parse(
                "version: 1\noptions:\n  upload_method: form\n  upload_method: s3\nitems: [{id: a, file: a.mp4}]\n",
                source: Self.source)
        }
        let text = error?.description ?? ""
        // A duplicated key is refused by the YAML reader itself, before the rest is looked at.
        #expect(text.contains("show.yaml:") && text.contains("upload_method is written twice"))
        let rest = #expect(throws: ManifestError.self) {
            try Manifest.parse(
                """
                version: 1
                optoins: {}
                options:
                  upload_method: ftp
                  concurrency: 0
                items:
                  - id: a
                    file: a.mp4
                    titel: A
                  - id: a
                    file: b.mp4
                  - file: c.mp4
                  - id: d
                    file: d.mp4
                    url: https://x/d.mp4
                  - id: e
                    file: e.mp4
                    date: yesterday
                    tracks: [{file: e.vtt, kind: subtitles}]
                """, source: Self.source)
        }
        let problems = rest?.problems.map(\.description) ?? []
        #expect(problems.contains("show.yaml:2:1: unknown key 'optoins' in the manifest; did you mean 'options'?"))
        #expect(problems.contains { $0.hasPrefix("show.yaml:4:18:") && $0.contains("form or s3") })
        #expect(problems.contains { $0.hasPrefix("show.yaml:5:16:") && $0.contains("1 to 256") })
        #expect(problems.contains("show.yaml:9:5: item 'a': unknown key 'titel' in an item; did you mean 'title'?"))
        #expect(
            problems.contains {
                $0.hasPrefix("show.yaml:10:5: item 'a': the id is used twice (first at show.yaml:7:5)")
            })
        #expect(problems.contains { $0.hasPrefix("show.yaml:12:5:") && $0.contains("no id") })
        #expect(problems.contains { $0.contains("item 'd'") && $0.contains("either file or url") })
        #expect(problems.contains { $0.contains("item 'e'") && $0.contains("ISO 8601") })
        #expect(problems.contains { $0.contains("item 'e'") && $0.contains("captions or chapters") })
        #expect(problems.count == 9)
    }

    @Test("max_size: up to 25 GB for the form method, never above 5 GiB for s3")
    func maxSize() throws {
        let form = try Manifest.parse(
            "version: 1\noptions: {max_size: 25GB}\nitems: [{id: a, file: a.mp4}]", source: Self.source)
        #expect(form.options.maxSize == 25_000_000_000)
        #expect(throws: ManifestError.self) {
            try Manifest.parse(
                "version: 1\noptions: {max_size: 26GB}\nitems: [{id: a, file: a.mp4}]", source: Self.source)
        }
        let error = #expect(throws: ManifestError.self) {
            try Manifest.parse(
                "version: 1\noptions: {upload_method: s3, max_size: 6GiB}\nitems: [{id: a, file: a.mp4}]",
                source: Self.source)
        }
        #expect(error?.description.contains("5 GiB") == true)
        let s3 = try Manifest.parse(
            "version: 1\noptions: {upload_method: s3}\nitems: [{id: a, file: a.mp4}]", source: Self.source)
        #expect(s3.options.maxSize == 5 << 30)
    }

    @Test("broken syntax names the line and column")
    func syntax() throws {
        let error = #expect(throws: ManifestError.self) {
            try Manifest.parse("version: 1\nitems:\n  - id: a\n    file: [unclosed\n", source: Self.source)
        }
        let problem = try #require(error?.problems.first)
        #expect(problem.position.line != nil)
        #expect(problem.message.contains("not valid YAML"))
    }

    @Test("an unknown stage in the pipeline suggests the nearest one; a stage option is checked")
    func pipelineNames() throws {
        let manifest = try Manifest.parse(
            "version: 1\npipeline: [validate, create, uplaod, {name: wait-ready, timeout: soon}]\nitems: [{id: a, file: a.mp4}]",
            source: Self.source)
        let error = #expect(throws: ManifestError.self) {
            try StageRegistry.standard.resolve(manifest.pipeline, options: manifest.options)
        }
        let messages = error?.problems.map(\.description) ?? []
        #expect(messages.contains { $0.contains("unknown stage 'uplaod'; did you mean 'upload'?") })
        #expect(messages.contains { $0.contains("wait-ready") && $0.contains("timeout") })
    }
}

/// The registry checks a pipeline's order: each stage's requirements come before it.
@Suite("stage order")
struct StageOrderTests {
    struct NeedsVerify: Stage {
        let name = "after-verify"
        var requirements: [String] { ["verify"] }
        func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome { .done }
    }

    static func problems(_ names: [String]) -> [String] {
        var registry = StageRegistry.standard
        registry.register(NeedsVerify())
        do {
            _ = try registry.resolve(names.map { PipelineStep(name: $0) }, options: ManifestOptions())
            return []
        } catch let error as ManifestError {
            return error.problems.map(\.message)
        } catch {
            return ["\(error)"]
        }
    }

    @Test("built-in and custom requirements, missing or out of order, are refused with the stage named")
    func order() {
        #expect(Self.problems(["validate", "create", "upload", "verify", "after-verify"]).isEmpty)
        #expect(
            Self.problems(["validate", "upload", "create"]) == [
                "the stage 'upload' needs 'create' before it, not after"
            ])
        #expect(Self.problems(["create", "verify"]) == ["the stage 'verify' needs 'upload' before it"])
        #expect(
            Self.problems(["create", "upload", "after-verify", "verify"])
                == ["the stage 'after-verify' needs 'verify' before it, not after"])
    }
}
