import Foundation
import JWPlatform
import JWSandbox
import Testing

@testable import JWIngest

/// The pipeline against a sandbox that fails on purpose (seeded, so each run is the same): retries end
/// with every item ingested exactly once, and no wrong digest is ever accepted.
@Suite("the pipeline under faults")
struct FaultTests {
    static func manifest(items count: Int, in folder: URL, options: String) throws -> Manifest {
        let items = (1...count).map { "  - {id: item-\($0), file: media/intro.mp4, title: Item \($0)}" }
            .joined(separator: "\n")
        let url = try IngestFixtures.write(
            "version: 1\noptions: {\(options)}\npipeline: [validate, create, upload, verify]\nitems:\n\(items)\n",
            named: "faults.yaml", in: folder)
        return try Manifest.load(from: url)
    }

    @Test(
        "5xx answers, dropped uploads and wrong md5 answers: every item ingested once with the right bytes",
        arguments: [UploadMethod.form, .s3])
    func retriesEndClean(method: UploadMethod) async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        var manifest = try Self.manifest(items: 24, in: folder, options: "concurrency: 4, retries: 8")
        manifest.options.uploadMethod = method
        let uploadScope = method == .s3 ? "s3" : "upload"
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(
            spec: "500=8%@api,503=4%@api,drop=10%@\(uploadScope),md5=10%@\(uploadScope)", seed: 7)
        configuration.rateLimits = .off
        let loaded = manifest
        try await Sandbox.withSandbox(configuration) { sandbox in
            let recorder = EventRecorder()
            let summary = try await (try IngestRunner(manifest: loaded, client: IngestFixtures.client(sandbox)))
                .ingest(observers: [recorder])
            #expect(summary.exitCode == 0, "\(summary.results.map(\.outcome))")
            let expected = try IngestFixtures.md5(IngestFixtures.manifests.appendingPathComponent("media/intro.mp4"))
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 24)
            #expect(Set(videos.compactMap { $0.custom["ingest_id"] }).count == 24)
            #expect(videos.allSatisfy { $0.md5 == expected })
            for result in summary.results {
                #expect(result.state.sent?.md5 == expected)
                #expect(result.state.received == result.state.sent)
            }
            let retries = recorder.events.filter { if case .retry = $0.kind { true } else { false } }
            #expect(!retries.isEmpty, "the faults should have caused retries")
            let resends = retries.filter { if case .retry(_, "verify", _, _, _) = $0.kind { true } else { false } }
            #expect(!resends.isEmpty, "a wrong md5 answer should have caused a resend")
        }
    }

    @Test("a server that always reports another md5: the item fails at verify with both digests")
    func persistentMismatch() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let manifest = try Self.manifest(items: 1, in: folder, options: "retries: 2")
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "md5=100%@upload", seed: 1)
        try await Sandbox.withSandbox(configuration) { sandbox in
            let summary = try await (try IngestRunner(manifest: manifest, client: IngestFixtures.client(sandbox)))
                .ingest()
            #expect(summary.exitCode == 1)
            guard case .failed(let error) = summary.results.first?.outcome else {
                Issue.record("expected a failure: \(summary.results.map(\.outcome))")
                return
            }
            let expected = try IngestFixtures.md5(IngestFixtures.manifests.appendingPathComponent("media/intro.mp4"))
            #expect(error.stage == "verify")
            #expect(error.code == .digestMismatch)
            #expect(error.expected?.contains(expected) == true)
            #expect(error.seen?.contains("md5") == true)
            #expect(error.seen?.contains(expected) == false)
            // Three sends in all (the first and two retries), all to the same single video.
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 1)
            #expect(videos.first?.uploads == 3)
        }
    }

    @Test("a 429 waits until its window renews (not counted as an attempt) and says so in an event")
    func rateLimitedWaits() async throws {
        let recorder = EventRecorder()
        let item = IngestItem(id: "x", source: .url("https://example.com/x.mp4"))
        let context = StageContext(
            item: item,
            client: APIClient(credentials: APICredentials(key: "k", secret: "s")),
            options: ManifestOptions(retries: 0), step: PipelineStep(name: "create"),
            sink: { kind in Task { await recorder.observe(IngestEvent(kind)) } })
        let reset = Date().addingTimeInterval(0.3)
        let refusal = APIError(
            code: .rateLimitExceeded, title: "Rate Limit Exceeded", message: "", httpStatus: 429,
            call: "/videos/create",
            rateLimit: RateLimit(limit: 60, remaining: 0, reset: reset))
        let calls = Counter()
        let started = Date()
        let answer = try await context.retrying("create") { _ in
            if calls.next() == 1 { throw refusal }
            return "created"
        }
        #expect(answer == "created")
        #expect(Date().timeIntervalSince(started) >= 0.29)
        try await Task.sleep(for: .milliseconds(50))
        #expect(
            recorder.events.contains {
                $0.kind == .rateLimited(item: "x", stage: "create", route: "/videos/create", until: reset)
            })
        // With retries: 0 a server error is final.
        let failing = await #expect(throws: APIError.self) {
            try await context.retrying("create") { _ -> String in
                throw APIError(code: .callFailed, title: "", message: "", httpStatus: 500, call: "/videos/create")
            }
        }
        #expect(failing?.httpStatus == 500)
    }
}

/// Counts calls across tasks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
