import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

@testable import JWIngest

/// A run whose journal has no row for an item (a new CronJob pod, a new laptop) asks the platform which
/// ingest ids exist before its first create, in one paged sweep, and adopts what it finds.
@Suite("fresh journal: the remote sweep")
struct RemoteCheckTests {
    static func manifest(_ folder: URL, titles: [String]) throws -> URL {
        let media = ["intro", "harbour", "night-train"]
        let lines = titles.enumerated().map { index, title in
            "  - {id: v\(index + 1), file: media/\(media[index % 3]).mp4, title: \(title)}"
        }
        return try IngestFixtures.write(
            "version: 1\npipeline: [validate, create, upload, verify]\nitems:\n" + lines.joined(separator: "\n") + "\n",
            named: "nightly.yaml", in: folder)
    }

    static func run(
        _ manifest: URL, _ sandbox: Sandbox, journal: URL, _ extra: [String] = []
    ) async throws
        -> ProcessResult
    {
        try await ChildProcess.run(
            ChildProcess.jwingest,
            ["run", manifest.path, "--endpoint", sandbox.endpoint, "--no-progress", "--journal", journal.path]
                + extra, environment: RunCommandTests.environment(sandbox), timeout: .seconds(180))
    }

    @Test("a run with a fresh journal adopts what the platform has: nothing created twice, changes updated")
    func freshJournalAdopts() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let url = try Self.manifest(folder, titles: ["One", "Two", "Three"])
        var configuration = SandboxConfiguration()
        // Two list calls a minute: a search per item would wait for the window; one sweep does not.
        configuration.rateLimits = RateLimitSettings(perMinute: 600, listPerMinute: 2)
        try await Sandbox.withSandbox(configuration) { sandbox in
            let first = try await Self.run(url, sandbox, journal: folder.appendingPathComponent("night1.sqlite"))
            #expect(first.status == 0, "\(first.standardOutput)\(first.standardError)")
            // The next night: a new pod, no journal, one title changed.
            _ = try Self.manifest(folder, titles: ["One", "Two (remastered)", "Three"])
            let events = folder.appendingPathComponent("night2.ndjson")
            let second = try await Self.run(
                url, sandbox, journal: folder.appendingPathComponent("night2.sqlite"), ["--events", events.path])
            #expect(second.status == 0, "\(second.standardOutput)\(second.standardError)")
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 3, "\(videos.map { $0.custom["ingest_id"] ?? "?" })")
            #expect(videos.allSatisfy { $0.uploads == 1 })
            #expect(videos.first { $0.custom["ingest_id"] == "v2" }?.title == "Two (remastered)")
            let eventText = try String(contentsOf: events, encoding: .utf8)
            #expect(!eventText.contains("rateLimited"), "one sweep, not a search per item")
            #expect(second.standardOutput.contains("2 unchanged"), "\(second.standardOutput)")
            // The third night the journal knows them all: no sweep, nothing sent.
            let third = try await Self.run(url, sandbox, journal: folder.appendingPathComponent("night2.sqlite"))
            #expect(third.standardOutput.contains("3 unchanged"), "\(third.standardOutput)")
            // plan --remote with another fresh journal sees all three on the platform.
            let plan = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "plan", url.path, "--remote", "--endpoint", sandbox.endpoint, "--journal",
                    folder.appendingPathComponent("plan.sqlite").path,
                ], environment: RunCommandTests.environment(sandbox), timeout: .seconds(120))
            #expect(plan.status == 0, "\(plan.standardOutput)\(plan.standardError)")
            #expect(plan.standardOutput.components(separatedBy: "on the platform already").count - 1 == 3)
            // --no-remote-check trusts the user: the account is said to be empty.
            let blind = try await Self.run(
                url, sandbox, journal: folder.appendingPathComponent("night3.sqlite"), ["--no-remote-check"])
            #expect(blind.status == 0)
            #expect(await sandbox.assets().filter { $0.kind == "video" }.count == 6)
        }
    }

    @Test("the sweep reads every page")
    func sweepReadsEveryPage() async throws {
        var configuration = SandboxConfiguration()
        configuration.rateLimits = .off
        try await Sandbox.withSandbox(configuration) { sandbox in
            let client = IngestFixtures.client(sandbox)
            for index in 1...20 {
                _ = try await client.createVideo(
                    VideoMetadata(title: "V\(index)", custom: [.init(name: "ingest_id", value: "id-\(index)")]))
            }
            _ = try await client.createVideo(VideoMetadata(title: "not ours"))
            let wanted: Set<String> = ["id-1", "id-7", "id-20", "id-99"]
            let index = try await RemoteIngestIndex.sweep(client, ids: wanted, pageSize: 3)
            #expect(Set(index.videos.keys) == ["id-1", "id-7", "id-20"])
            #expect(index.pages == 7)
        }
    }

    @Test("the adopt lookup after a lost create reads every page of a search, not the first 50 results")
    func adoptReadsEveryPage() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let url = try IngestFixtures.write(
            "version: 1\npipeline: [validate, create, upload, verify]\nitems:\n  - {id: lost, file: media/intro.mp4}\n",
            named: "lost.yaml", in: folder)
        var configuration = SandboxConfiguration()
        configuration.rateLimits = .off
        try await Sandbox.withSandbox(configuration) { sandbox in
            let client = IngestFixtures.client(sandbox)
            // Sixty videos whose ingest ids contain "lost" come first in the account's list.
            for index in 1...60 {
                _ = try await client.createVideo(
                    VideoMetadata(title: "decoy", custom: [.init(name: "ingest_id", value: "lost-\(index)")]))
            }
            // The create of a run that died before keeping its answer.
            _ = try await client.createVideo(
                VideoMetadata(title: "lost", custom: [.init(name: "ingest_id", value: "lost")]))
            let manifest = try Manifest.load(from: url)
            let journal = try SQLiteJournal(path: folder.appendingPathComponent("j.sqlite"), manifest: "lost.yaml")
            var state = ItemState(itemID: "lost")
            state.completedStages = ["validate"]
            state.createPending = true
            try await journal.record(state, status: .running, fingerprint: ItemFingerprint(of: manifest.items[0]))
            let runner = try IngestRunner(manifest: manifest, client: client, journal: journal)
            let summary = try await runner.ingest()
            #expect(summary.exitCode == 0, "\(summary.results.map(\.outcome))")
            let lost = await sandbox.assets().filter { $0.kind == "video" && $0.custom["ingest_id"] == "lost" }
            #expect(lost.count == 1, "\(lost.map(\.key))")
            #expect(lost.first?.md5 != nil)
        }
    }
}
