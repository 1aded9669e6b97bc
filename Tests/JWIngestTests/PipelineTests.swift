import Foundation
import JWPlatform
import JWSandbox
import Testing

@testable import JWIngest

/// The whole pipeline against a real sandbox on 127.0.0.1: every item arrives once, byte for byte, with
/// its thumbnail and tracks, in every answer format and with both upload methods.
@Suite("the pipeline against the sandbox")
struct PipelineTests {
    static let combinations: [(AnswerFormatName, UploadMethod)] = [
        (.json, .form), (.xml, .form), (.php, .form), (.py, .form),
        (.json, .s3), (.xml, .s3), (.php, .s3), (.py, .s3),
    ]

    @Test("the demo arrives whole: one asset per item, md5 of each file, thumbnail and tracks", arguments: combinations)
    func demoArrives(format: AnswerFormatName, method: UploadMethod) async throws {
        var manifest = try Manifest.load(from: IngestFixtures.manifests.appendingPathComponent("demo.yaml"))
        manifest.options.apiFormat = format
        manifest.options.uploadMethod = method
        let loaded = manifest
        try await Sandbox.withSandbox { sandbox in
            let recorder = EventRecorder()
            let runner = try IngestRunner(manifest: loaded, client: IngestFixtures.client(sandbox, format: format))
            let summary = try await runner.ingest(observers: [recorder])
            #expect(summary.exitCode == 0, "\(summary.results.map(\.outcome))")
            #expect(summary.ingested == loaded.items.count)
            let assets = await sandbox.assets()
            for item in loaded.items {
                let result = try #require(summary.results.first { $0.item.id == item.id })
                let file = try #require(item.file)
                if item.kind == .video {
                    let videos = assets.filter { $0.kind == "video" && $0.custom["ingest_id"] == item.id }
                    #expect(videos.count == 1, "\(item.id)")
                    let video = try #require(videos.first)
                    #expect(video.key == result.state.mediaKey)
                    #expect(video.md5 == (try IngestFixtures.md5(file)))
                    #expect(video.uploads == 1)
                    #expect(video.title == item.metadata.title)
                    #expect(video.custom["source"] == "jwingest-demo")
                    #expect(result.state.verified)
                    #expect(result.state.sent == result.state.received)
                    let thumbnails = assets.filter { $0.kind == "thumbnail" && $0.videoKey == video.key }
                    #expect(thumbnails.count == (item.thumbnail == nil ? 0 : 1))
                    if let thumbnail = item.thumbnail {
                        #expect(thumbnails.first?.md5 == (try IngestFixtures.md5(thumbnail)))
                    }
                    let tracks = assets.filter { $0.kind == "track" && $0.videoKey == video.key }
                    #expect(tracks.count == item.tracks.count)
                    for track in item.tracks {
                        let stored = tracks.first {
                            $0.language == track.metadata.language && $0.trackKind == track.metadata.kind
                        }
                        #expect(stored?.md5 == (try IngestFixtures.md5(track.file)), "\(item.id) \(track.identity)")
                        #expect(stored?.uploads == 1)
                    }
                } else {
                    let images = assets.filter { $0.kind == item.kind.rawValue }
                    #expect(images.count == 1)
                    #expect(images.first?.md5 == (try IngestFixtures.md5(file)))
                }
            }
            let events = recorder.events
            #expect(events.first.map { if case .runStarted = $0.kind { true } else { false } } == true)
            #expect(events.last.map { if case .runFinished = $0.kind { true } else { false } } == true)
            let finished = events.filter { if case .itemFinished = $0.kind { true } else { false } }
            #expect(finished.count == loaded.items.count)
            let bytes = events.compactMap { event -> (String, Int64, Int64)? in
                if case .bytesSent(let item, let sent, let total) = event.kind { return (item, sent, total) }
                return nil
            }
            // Every media file's progress ends with all of it sent.
            for item in loaded.items {
                let size = try #require(result(summary, item.id)?.state.fileSize)
                let last = try #require(bytes.last { $0.0 == item.id && $0.2 == size }, "\(item.id)")
                #expect(last.1 == size)
            }
        }
    }

    private func result(_ summary: RunSummary, _ id: String) -> ItemResult? {
        summary.results.first { $0.item.id == id }
    }

    @Test("concurrency and stage_limits hold: never more items, nor more uploads, in flight than allowed")
    func limitsHold() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let items = (1...12).map { "  - {id: v\($0), file: media/harbour.mp4, title: V\($0)}" }.joined(separator: "\n")
        let url = try IngestFixtures.write(
            "version: 1\noptions: {concurrency: 3, stage_limits: {upload: 1}}\nitems:\n\(items)\n", named: "many.yaml",
            in: folder)
        let manifest = try Manifest.load(from: url)
        try await Sandbox.withSandbox { sandbox in
            let recorder = EventRecorder()
            let summary = try await (try IngestRunner(manifest: manifest, client: IngestFixtures.client(sandbox)))
                .ingest(observers: [recorder])
            #expect(summary.ingested == 12)
            var items = 0
            var uploads = 0
            var maxItems = 0
            var maxUploads = 0
            for event in recorder.events {
                switch event.kind {
                case .itemStarted: items += 1
                case .itemFinished: items -= 1
                case .stageStarted(_, "upload"): uploads += 1
                case .stageFinished(_, "upload", _): uploads -= 1
                default: break
                }
                maxItems = max(maxItems, items)
                maxUploads = max(maxUploads, uploads)
            }
            #expect(maxItems == 3)
            #expect(maxUploads == 1)
            #expect(await sandbox.assets().filter { $0.kind == "video" }.count == 12)
        }
    }

    @Test("each observer receives the kinds it reads, in the run's order, and every event of those kinds")
    func observersReceiveTheirKinds() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let items = (1...6).map { "  - {id: v\($0), file: media/intro.mp4, title: V\($0)}" }.joined(separator: "\n")
        let url = try IngestFixtures.write(
            "version: 1\noptions: {concurrency: 2}\nitems:\n\(items)\n", named: "six.yaml", in: folder)
        let manifest = try Manifest.load(from: url)
        try await Sandbox.withSandbox { sandbox in
            let everything = EventRecorder()
            let finishes = EventRecorder(kinds: [.itemFinished, .runFinished])
            let stages = EventRecorder(kinds: .stageFinished)
            let summary = try await (try IngestRunner(manifest: manifest, client: IngestFixtures.client(sandbox)))
                .ingest(observers: [finishes, everything, stages])
            #expect(summary.ingested == 6)
            let all = everything.events
            #expect(Set(all.map(\.kind.kinds.rawValue)).count >= 6, "\(all.map(\.kind))")
            #expect(finishes.events == all.filter { [.itemFinished, .runFinished].contains($0.kind.kinds) })
            #expect(finishes.events.count == 7)
            #expect(stages.events == all.filter { $0.kind.kinds == .stageFinished })
            #expect(stages.events.count == 6 * manifest.pipeline.count)
        }
    }

    @Test("a failing item is reported with its stage and reason while the others arrive")
    func oneFailsOthersArrive() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let url = try IngestFixtures.write(
            """
            version: 1
            items:
              - {id: good, file: media/intro.mp4}
              - {id: short, file: media/short.mp4}
              - {id: gone, file: media/nothing-here.mp4}
            """, named: "mixed.yaml", in: folder)
        let manifest = try Manifest.load(from: url)
        try await Sandbox.withSandbox { sandbox in
            let summary = try await (try IngestRunner(manifest: manifest, client: IngestFixtures.client(sandbox)))
                .ingest()
            #expect(summary.exitCode == 1)
            #expect(summary.ingested == 1)
            guard case .failed(let short) = summary.results[1].outcome,
                case .failed(let gone) = summary.results[2].outcome
            else {
                Issue.record("expected two failures: \(summary.results.map(\.outcome))")
                return
            }
            #expect(short.stage == "validate")
            #expect(short.message.contains("shorter than min_duration"))
            #expect(gone.stage == "validate")
            #expect(gone.message.contains("does not exist"))
            // Nothing was created for the items that failed validation.
            #expect(await sandbox.assets().filter { $0.kind == "video" }.count == 1)
        }
    }

    @Test("a custom stage runs between the built-ins, sees their state and can fail an item")
    func customStage() async throws {
        struct RequireTitle: Stage {
            let name = "require-title"
            func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome {
                guard context.item.metadata.title != nil else { throw context.failure("no title") }
                state.values["checked"] = "yes"
                return .done
            }
        }
        struct NoteKey: Stage {
            let name = "note-key"
            func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome {
                state.values["key-seen"] = state.mediaKey ?? "none"
                return .done
            }
        }
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let url = try IngestFixtures.write(
            """
            version: 1
            pipeline: [validate, require-title, create, note-key, upload, verify]
            items:
              - {id: titled, file: media/intro.mp4, title: Hello}
              - {id: untitled, file: media/intro.mp4}
            """, named: "custom.yaml", in: folder)
        let manifest = try Manifest.load(from: url)
        var registry = StageRegistry.standard
        registry.register(RequireTitle())
        registry.register(NoteKey())
        let stages = registry
        try await Sandbox.withSandbox { sandbox in
            let recorder = EventRecorder()
            let runner = try IngestRunner(manifest: manifest, client: IngestFixtures.client(sandbox), registry: stages)
            let summary = try await runner.ingest(observers: [recorder])
            let titled = summary.results[0]
            #expect(titled.outcome == .ingested(key: titled.state.mediaKey))
            #expect(titled.state.values["key-seen"] == titled.state.mediaKey)
            #expect(
                titled.stageTimes.map(\.stage) == [
                    "validate", "require-title", "create", "note-key", "upload", "verify",
                ])
            guard case .failed(let error) = summary.results[1].outcome else {
                Issue.record("the untitled item should fail")
                return
            }
            #expect(error.stage == "require-title")
            #expect(
                recorder.events.contains {
                    if case .stageFinished("titled", "note-key", _) = $0.kind { true } else { false }
                })
            #expect(await sandbox.assets().filter { $0.kind == "video" }.count == 1)
        }
    }

    @Test("stop() lets running items finish their stage, starts nothing more, and says interrupted")
    func stopAtCheckpoint() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let items = (1...8).map { "  - {id: v\($0), file: media/intro.mp4}" }.joined(separator: "\n")
        let url = try IngestFixtures.write(
            "version: 1\noptions: {concurrency: 2}\nitems:\n\(items)\n", named: "stop.yaml", in: folder)
        let manifest = try Manifest.load(from: url)
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "latency=150ms", seed: 1)
        try await Sandbox.withSandbox(configuration) { sandbox in
            let runner = try IngestRunner(manifest: manifest, client: IngestFixtures.client(sandbox))
            // Stop as soon as the first item has been created: it is then in flight, and the last items
            // have not started (at most two run at once).
            let stopper = StopAfterFirstCreate(runner: runner)
            let result = try await runner.ingest(observers: [stopper])
            #expect(result.exitCode == 3)
            #expect(result.interrupted > 0)
            #expect(result.ingested < 8)
            #expect(result.failed == 0)
            let interrupted = result.results.filter { $0.outcome.name == "interrupted" }
            // Items in flight stopped at a checkpoint, after a stage; the rest never started.
            #expect(interrupted.contains { $0.state.completedStages.count > 0 })
            #expect(interrupted.contains { $0.stageTimes.isEmpty && $0.state.mediaKey == nil })
            for item in interrupted {
                #expect(item.stageTimes.map(\.stage) == item.state.completedStages)
            }
            // Whatever was created was created once.
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(Set(videos.compactMap { $0.custom["ingest_id"] }).count == videos.count)
        }
    }
}

/// Stops a run when the first item's create has finished.
struct StopAfterFirstCreate: IngestObserver {
    let runner: IngestRunner

    func observe(_ event: IngestEvent) async {
        if case .stageFinished(_, "create", _) = event.kind { runner.stop() }
    }
}
