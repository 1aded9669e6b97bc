import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

@testable import JWIngest

/// The journal and what a re-run makes of it: skip what is done, resume what is not, update what
/// changed, and never create a second asset.
@Suite("journal and resume")
struct JournalTests {
    static func manifest(_ folder: URL, items: Int, title: String = "T") throws -> URL {
        let lines = (1...items).map { "  - {id: v\($0), file: media/intro.mp4, title: \(title) \($0)}" }
            .joined(separator: "\n")
        return try IngestFixtures.write(
            "version: 1\npipeline: [validate, create, upload, verify]\nitems:\n\(lines)\n", named: "resume.yaml",
            in: folder)
    }

    static func run(
        _ url: URL, _ sandbox: Sandbox, journal: URL, observers: [any IngestObserver] = []
    ) async throws -> RunSummary {
        let manifest = try Manifest.load(from: url)
        let runner = try IngestRunner(
            manifest: manifest, client: IngestFixtures.client(sandbox),
            journal: try SQLiteJournal(path: journal, manifest: url.lastPathComponent))
        return try await runner.ingest(observers: observers)
    }

    @Test("a state written is read back whole, after the journal is closed and opened again")
    func roundTrip() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-journal")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(".jwingest/journal.sqlite")
        var state = ItemState(itemID: "a")
        state.mediaKey = "K"
        state.completedStages = ["validate", "create"]
        state.sent = FileDigest(md5: "abc", size: 3)
        state.trackKeys = ["captions:en:a.vtt": "T1"]
        state.createPending = true
        let fingerprint = ItemFingerprint(file: "f", metadata: "m")
        do {
            let journal = try SQLiteJournal(path: path, manifest: "m.yaml")
            try await journal.record(state, status: .running, fingerprint: fingerprint)
            try await journal.record(ItemState(itemID: "b"), status: .failed, fingerprint: fingerprint, error: "boom")
        }
        let reopened = try SQLiteJournal(path: path, manifest: "m.yaml")
        let entries = try await reopened.entries()
        #expect(try entries["a"]?.state() == state)
        #expect(entries["a"]?.mediaKey == "K")
        #expect(entries["a"]?.status == .running)
        #expect(entries["b"]?.lastError == "boom")
        // Another manifest in the same journal sees none of them.
        #expect(try await SQLiteJournal(path: path, manifest: "other.yaml").entries().isEmpty)
    }

    @Test("a finished manifest run again: nothing sent, every item unchanged, exit 0")
    func rerunIsUnchanged() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let url = try Self.manifest(folder, items: 5)
        let journal = SQLiteJournal.defaultPath(for: url)
        try await Sandbox.withSandbox { sandbox in
            let first = try await Self.run(url, sandbox, journal: journal)
            #expect(first.ingested == 5)
            let recorder = EventRecorder()
            let second = try await Self.run(url, sandbox, journal: journal, observers: [recorder])
            #expect(second.unchanged == 5)
            #expect(second.exitCode == 0)
            #expect(!recorder.events.contains { if case .stageStarted = $0.kind { true } else { false } })
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 5)
            #expect(videos.allSatisfy { $0.uploads == 1 })
        }
    }

    @Test("changed metadata updates the same video; a changed file is sent again to the same video")
    func changesAreUpdates() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let url = try Self.manifest(folder, items: 2)
        let journal = SQLiteJournal.defaultPath(for: url)
        try await Sandbox.withSandbox { sandbox in
            _ = try await Self.run(url, sandbox, journal: journal)
            let before = await sandbox.assets().filter { $0.kind == "video" }.sorted { $0.title ?? "" < $1.title ?? "" }
            // New titles for both; a new file for v2.
            try Self.manifest(folder, items: 2, title: "New")
            let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(
                of: "{id: v2, file: media/intro.mp4", with: "{id: v2, file: media/harbour.mp4")
            try Data(text.utf8).write(to: url)
            let plan = try await IngestRunner(
                manifest: try Manifest.load(from: url), client: IngestFixtures.client(sandbox),
                journal: try SQLiteJournal(path: journal, manifest: url.lastPathComponent)
            ).plan()
            #expect(
                plan.entries.map(\.action) == [
                    .update(file: false, metadata: true), .update(file: true, metadata: true),
                ])
            let summary = try await Self.run(url, sandbox, journal: journal)
            #expect(summary.ingested == 2, "\(summary.results.map(\.outcome))")
            let after = await sandbox.assets().filter { $0.kind == "video" }.sorted { $0.title ?? "" < $1.title ?? "" }
            #expect(after.map(\.key) == before.map(\.key))
            #expect(after.map(\.title) == ["New 1", "New 2"])
            #expect(after.map(\.uploads) == [1, 2])
            let harbour = try IngestFixtures.md5(folder.appendingPathComponent("media/harbour.mp4"))
            #expect(after.last?.md5 == harbour)
        }
    }

    @Test("a run stopped part-way resumes each item after its last checkpoint; one asset per item")
    func stoppedRunResumes() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let url = try Self.manifest(folder, items: 8)
        let journal = SQLiteJournal.defaultPath(for: url)
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "latency=100ms", seed: 2)
        try await Sandbox.withSandbox(configuration) { sandbox in
            let manifest = try Manifest.load(from: url)
            let runner = try IngestRunner(
                manifest: manifest, client: IngestFixtures.client(sandbox),
                journal: try SQLiteJournal(path: journal, manifest: url.lastPathComponent))
            let first = try await runner.ingest(observers: [StopAfterFirstCreate(runner: runner)])
            #expect(first.exitCode == 3)
            let plan = try await runner.plan()
            #expect(plan.entries.contains { if case .resume = $0.action { true } else { false } })
            let second = try await Self.run(url, sandbox, journal: journal)
            #expect(second.exitCode == 0, "\(second.results.map(\.outcome))")
            #expect(second.ingested + second.unchanged == 8)
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 8)
            #expect(Set(videos.compactMap { $0.custom["ingest_id"] }).count == 8)
            #expect(videos.allSatisfy { $0.md5 != nil })
        }
    }

    @Test("a create sent but not recorded: the next run finds the video by its ingest_id and adopts it")
    func pendingCreateIsAdopted() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let url = try Self.manifest(folder, items: 1)
        let journalPath = SQLiteJournal.defaultPath(for: url)
        let manifest = try Manifest.load(from: url)
        let item = try #require(manifest.items.first)
        try await Sandbox.withSandbox { sandbox in
            let client = IngestFixtures.client(sandbox)
            // What a killed run leaves: the video exists with its file, the journal only says "create sent".
            var earlier = ItemState(itemID: item.id)
            let context = StageContext(
                item: item, client: client, options: manifest.options, step: PipelineStep(name: "create"))
            try await CreateStage().run(&earlier, context)
            try await UploadStage().run(&earlier, context)
            var pending = ItemState(itemID: item.id)
            pending.createPending = true
            pending.completedStages = ["validate"]
            let journal = try SQLiteJournal(path: journalPath, manifest: url.lastPathComponent)
            try await journal.record(pending, status: .running, fingerprint: ItemFingerprint(of: item))
            let summary = try await Self.run(url, sandbox, journal: journalPath)
            #expect(summary.exitCode == 0, "\(summary.results.map(\.outcome))")
            #expect(summary.results.first?.state.mediaKey == earlier.mediaKey)
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 1)
        }
    }

    @Test("the rate limiter holds calls while a route's window is used up, and says so")
    func limiterWaits() async throws {
        let waits = Counter()
        let limiter = RouteRateLimiter(onWait: { _, _ in _ = waits.next() })
        let reset = Date().addingTimeInterval(0.4)
        await limiter.record("/videos/create", RateLimit(limit: 60, remaining: 1, reset: reset))
        let started = Date()
        try await limiter.beforeCall("/videos/create")
        #expect(Date().timeIntervalSince(started) < 0.2)
        try await limiter.beforeCall("/videos/list")
        try await limiter.beforeCall("/videos/create")
        #expect(Date().timeIntervalSince(started) >= 0.39)
        #expect(waits.next() == 2)
    }
}
