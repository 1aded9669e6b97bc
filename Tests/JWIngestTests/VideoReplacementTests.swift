import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

@testable import JWIngest

/// When a video must be replaced or gets a new file, the item stays whole: the new video gets its
/// captions, chapters and thumbnail; wait-ready waits for the new processing; and a video that is ready
/// or updating is never deleted.
@Suite("replacing a video keeps the item whole")
struct VideoReplacementTests {
    static func run(_ url: URL, _ sandbox: Sandbox, journal: URL) async throws -> RunSummary {
        let runner = try IngestRunner(
            manifest: try Manifest.load(from: url), client: IngestFixtures.client(sandbox),
            journal: try SQLiteJournal(path: journal, manifest: url.lastPathComponent))
        return try await runner.ingest()
    }

    /// Copies `source` over `target` with a later modification time, as an edited file would be.
    static func replace(_ target: URL, with source: URL) throws {
        try FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: source, to: target)
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: target.path)
    }

    @Test("a failed video replaced after its file changed gets its tracks and thumbnail again")
    func replacedVideoGetsItsCompanions() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let file = folder.appendingPathComponent("media/item.mp4")
        try FileManager.default.copyItem(at: folder.appendingPathComponent("media/short.mp4"), to: file)
        let url = try IngestFixtures.write(
            """
            version: 1
            pipeline: [create, upload, verify, thumbnail, tracks]
            items:
              - id: v
                file: media/item.mp4
                thumbnail: media/intro.jpg
                tracks:
                  - {file: media/intro.en.vtt, kind: captions, language: en}
                  - {file: media/night-train.chapters.srt, kind: chapters}

            """, named: "replace.yaml", in: folder)
        let journal = folder.appendingPathComponent("journal.sqlite")
        var configuration = SandboxConfiguration()
        configuration.processingTime = 0.05
        try await Sandbox.withSandbox(configuration) { sandbox in
            let first = try await Self.run(url, sandbox, journal: journal)
            #expect(first.exitCode == 0)
            let client = IngestFixtures.client(sandbox)
            let firstKey = try #require(first.results.first?.state.mediaKey)
            // The one-second file fails processing on the platform.
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await client.showVideo(key: firstKey).status == .failed)
            try Self.replace(file, with: folder.appendingPathComponent("media/intro.mp4"))
            let second = try await Self.run(url, sandbox, journal: journal)
            #expect(second.exitCode == 0, "\(second.results.map(\.outcome))")
            let assets = await sandbox.assets()
            let videos = assets.filter { $0.kind == "video" }
            #expect(videos.count == 1)
            let video = try #require(videos.first)
            #expect(video.key != firstKey)
            let tracks = assets.filter { $0.kind == "track" && $0.videoKey == video.key }
            #expect(tracks.count == 2, "\(assets.map { ($0.kind, $0.videoKey ?? "-") })")
            #expect(tracks.allSatisfy { $0.md5 != nil })
            #expect(assets.contains { $0.kind == "thumbnail" && $0.videoKey == video.key && $0.md5 != nil })
        }
    }

    @Test("after a new file, wait-ready waits for the new processing instead of the old ready")
    func waitReadyAfterANewFile() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let file = folder.appendingPathComponent("media/item.mp4")
        try FileManager.default.copyItem(at: folder.appendingPathComponent("media/intro.mp4"), to: file)
        let url = try IngestFixtures.write(
            "version: 1\npipeline: [validate, create, upload, verify, wait-ready]\nitems:\n"
                + "  - {id: v, file: media/item.mp4}\n", named: "ready.yaml", in: folder)
        let journal = folder.appendingPathComponent("journal.sqlite")
        var configuration = SandboxConfiguration()
        configuration.processingTime = 1.5
        try await Sandbox.withSandbox(configuration) { sandbox in
            let first = try await Self.run(url, sandbox, journal: journal)
            #expect(first.exitCode == 0)
            try Self.replace(file, with: folder.appendingPathComponent("media/harbour.mp4"))
            let second = try await Self.run(url, sandbox, journal: journal)
            #expect(second.exitCode == 0, "\(second.results.map(\.outcome))")
            let key = try #require(second.results.first?.state.mediaKey)
            #expect(key == first.results.first?.state.mediaKey)
            let video = try await IngestFixtures.client(sandbox).showVideo(key: key)
            #expect(video.status == .ready)
            #expect(video.md5 == (try IngestFixtures.md5(file)))
        }
    }

    @Test("a video that is updating, whose new-file link was lost, gets a new link and is never deleted")
    func updatingVideoIsKept() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let file = folder.appendingPathComponent("media/item.mp4")
        try FileManager.default.copyItem(at: folder.appendingPathComponent("media/intro.mp4"), to: file)
        let url = try IngestFixtures.write(
            "version: 1\npipeline: [validate, create, upload, verify]\nitems:\n  - {id: v, file: media/item.mp4}\n",
            named: "updating.yaml", in: folder)
        let journal = folder.appendingPathComponent("journal.sqlite")
        var configuration = SandboxConfiguration()
        configuration.processingTime = 0.05
        try await Sandbox.withSandbox(configuration) { sandbox in
            let first = try await Self.run(url, sandbox, journal: journal)
            let key = try #require(first.results.first?.state.mediaKey)
            try await Task.sleep(for: .milliseconds(200))
            // A run asked for a new file's link and lost it: the video is now `updating`.
            let client = IngestFixtures.client(sandbox)
            _ = try await client.updateVideo(key: key, updateFile: true)
            #expect(try await client.showVideo(key: key).status == .updating)
            try Self.replace(file, with: folder.appendingPathComponent("media/harbour.mp4"))
            let second = try await Self.run(url, sandbox, journal: journal)
            #expect(second.exitCode == 0, "\(second.results.map(\.outcome))")
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.map(\.key) == [key])
            #expect(videos.first?.md5 == (try IngestFixtures.md5(file)))
        }
    }
}
