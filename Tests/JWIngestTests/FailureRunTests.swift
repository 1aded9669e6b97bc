import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

@testable import JWIngest

/// Never lose, never double, under the faults a migration meets: a server that fails, drops uploads and
/// misreports digests under a real rate limit; a process killed with SIGKILL at any instant; a SIGTERM.
/// Sized for CI: 30 items under rate-limit windows of 5 s that hold 10 calls each (the platform's 60 a
/// minute, scaled), so that the run meets several windows and waits for them in seconds.
/// `JWINGEST_FAULT_ITEMS=200` runs 200 items under the platform's real 60 calls a minute (about four
/// minutes); `scripts/fault-runs.sh` runs larger versions (JWINGEST_FAULT_ITEMS, JWINGEST_KILLS).
@Suite("failure runs: nothing lost, nothing doubled")
struct FailureRunTests {
    static let environment = ProcessInfo.processInfo.environment
    static let faultItems = Int(environment["JWINGEST_FAULT_ITEMS"] ?? "") ?? 30
    static let kills = Int(environment["JWINGEST_KILLS"] ?? "") ?? 10

    /// The rate limits of the fault run: the platform's own for 200 items or more, else windows of 5 s.
    static var faultRateLimits: RateLimitSettings {
        faultItems >= 200
            ? RateLimitSettings(perMinute: 60, listPerMinute: 30)
            : RateLimitSettings(perMinute: 10, listPerMinute: 5, window: .seconds(5))
    }

    @Test("faulty server under a rate limit: every item ingested exactly once, no wrong digest accepted")
    func faultyServer() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let count = Self.faultItems
        let lines = (1...count).map { "  - {id: item-\($0), file: media/intro.mp4, title: Item \($0)}" }
        let url = try IngestFixtures.write(
            "version: 1\noptions: {concurrency: 8, retries: 6}\npipeline: [validate, create, upload, verify]\n"
                + "items:\n" + lines.joined(separator: "\n") + "\n", named: "faults.yaml", in: folder)
        let manifest = try Manifest.load(from: url)
        var configuration = SandboxConfiguration()
        // The first seed from 11 whose wrong digests fall within the run's own uploads: the test cannot pass
        // by dodging them (a 30-item run has few uploads to draw from).
        let spec = "500=5%@api,drop=2%@upload,md5=\(count >= 200 ? 1 : 5)%@upload"
        let uploads = FaultScope.upload("/v1/videos/upload")
        var chosen: FaultPlan?
        for seed in UInt64(11)..<1000 where chosen == nil {
            let plan = try FaultPlan(spec: spec, seed: seed)
            if (0..<UInt64(count)).contains(where: { plan.decision(for: uploads, at: $0).wrongMD5 }) { chosen = plan }
        }
        configuration.faults = try #require(chosen)
        configuration.rateLimits = Self.faultRateLimits
        let expected = try IngestFixtures.md5(folder.appendingPathComponent("media/intro.mp4"))
        let (summary, assets, events) = try await Sandbox.withSandbox(configuration) { sandbox in
            let recorder = EventRecorder()
            let client = APIClient(
                credentials: sandbox.credentials,
                configuration: APIClientConfiguration(
                    endpoint: sandbox.endpoint, retry: .none,
                    pacer: RouteRateLimiter(onWait: { IngestTaskContext.reportRateLimit(call: $0, until: $1) })))
            let runner = try IngestRunner(
                manifest: manifest, client: client,
                journal: try SQLiteJournal(path: SQLiteJournal.defaultPath(for: url), manifest: "faults.yaml"))
            let summary = try await runner.ingest(observers: [recorder])
            return (summary, await sandbox.assets(), recorder.events)
        }
        #expect(summary.exitCode == 0, "\(summary.results.filter { $0.outcome.name != "ingested" }.map(\.outcome))")
        let videos = assets.filter { $0.kind == "video" }
        #expect(videos.count == count)
        #expect(Set(videos.compactMap { $0.custom["ingest_id"] }).count == count)
        #expect(videos.allSatisfy { $0.md5 == expected })
        #expect(summary.results.allSatisfy { $0.state.received?.md5 == expected && $0.state.verified })
        // The faults and the limit were met, not dodged.
        #expect(events.contains { if case .retry = $0.kind { true } else { false } })
        #expect(events.contains { if case .rateLimited = $0.kind { true } else { false } })
        #expect(events.contains { if case .retry(_, "verify", _, _, _) = $0.kind { true } else { false } })
    }

    /// Big enough that an upload lasts while the process is killed.
    static func items(_ count: Int, in folder: URL) throws -> URL {
        let media = folder.appendingPathComponent("big")
        try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
        var lines: [String] = []
        for index in 1...count {
            let sub = media.appendingPathComponent("\(index)")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            let file = try UploadRecoveryTests.bigVideo(in: sub, size: 1 << 20)
            lines.append("  - {id: k\(index), file: \(file.path), title: K\(index)}")
        }
        return try IngestFixtures.write(
            "version: 1\noptions: {concurrency: 4}\npipeline: [validate, create, upload, verify]\nitems:\n"
                + lines.joined(separator: "\n") + "\n", named: "kills.yaml", in: folder)
    }

    /// Starts `jwingest run` of `manifest` against `sandbox` as a child process writing its events to `events`.
    static func startRun(
        _ manifest: URL, _ sandbox: Sandbox, events: URL, _ extra: [String] = []
    ) throws
        -> SpawnedProcess
    {
        try ChildProcess.start(
            ChildProcess.jwingest,
            ["run", manifest.path, "--endpoint", sandbox.endpoint, "--no-progress", "--events", events.path] + extra,
            environment: RunCommandTests.environment(sandbox))
    }

    /// Waits for a child process to end without blocking a thread of the cooperative pool (which the
    /// sandbox in this process needs).
    static func waitForExit(_ process: SpawnedProcess) async throws {
        await process.waitForExit()
    }

    /// Waits until the events file shows `needle` (on a line that also shows `also`, when given), or for
    /// `limit` seconds.
    static func waitFor(_ needle: String, in events: URL, limit: Double, also: String? = nil) async throws {
        let end = Date().addingTimeInterval(limit)
        while Date() < end {
            if let text = try? String(contentsOf: events, encoding: .utf8),
                text.split(separator: "\n").contains(where: { $0.contains(needle) && (also.map($0.contains) ?? true) })
            {
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test("jwingest run killed with SIGKILL again and again, during creates and uploads, then run to the end")
    func killedAndResumed() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let count = max(12, Self.kills * 2)
        let url = try Self.items(count, in: folder)
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "latency=60..160ms@api,latency=100..250ms@upload", seed: 5)
        configuration.rateLimits = .off
        let (final, assets, kinds) = try await Sandbox.withSandbox(configuration) { sandbox in
            let environment = RunCommandTests.environment(sandbox)
            var generator = SeededGenerator(seed: 99)
            var kinds: [String] = []
            for round in 0..<Self.kills {
                let events = folder.appendingPathComponent("events-\(round).ndjson")
                let process = try Self.startRun(url, sandbox, events: events)
                // Alternate: kill in the middle of a create call, of an upload, or at a random instant.
                let target = ["\"stage\":\"create\"", "\"stage\":\"upload\"", ""][round % 3]
                if target.isEmpty {
                    try await Task.sleep(for: .milliseconds(Int64.random(in: 50...900, using: &generator)))
                } else {
                    try await Self.waitFor("\"event\":\"stageStarted\"", in: events, limit: 10)
                    try await Self.waitFor(target, in: events, limit: 10)
                    try await Task.sleep(for: .milliseconds(Int64.random(in: 10...80, using: &generator)))
                }
                kinds.append(target.isEmpty ? "random" : target)
                kill(process.processIdentifier, SIGKILL)
                try await Self.waitForExit(process)
            }
            let final = try await ChildProcess.run(
                ChildProcess.jwingest, ["run", url.path, "--endpoint", sandbox.endpoint, "--no-progress"],
                environment: environment)
            return (final, await sandbox.assets(), kinds)
        }
        #expect(kinds.filter { $0.contains("create") }.count >= 3)
        #expect(kinds.filter { $0.contains("upload") }.count >= 3)
        #expect(final.status == 0, "\(final.standardOutput)\(final.standardError)")
        let videos = assets.filter { $0.kind == "video" }
        #expect(videos.count == count, "\(videos.map { ($0.custom["ingest_id"] ?? "?", $0.key) })")
        #expect(Set(videos.compactMap { $0.custom["ingest_id"] }).count == count)
        for index in 1...count {
            let file = folder.appendingPathComponent("big/\(index)/big.mp4")
            let video = videos.first { $0.custom["ingest_id"] == "k\(index)" }
            #expect(video?.md5 == (try IngestFixtures.md5(file)), "k\(index)")
        }
    }

    @Test("SIGTERM mid-run: exit 3 after checkpointing; the next run finishes with one asset per item")
    func terminatedAndResumed() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let url = try Self.items(10, in: folder)
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "latency=150ms@api", seed: 1)
        configuration.rateLimits = .off
        try await Sandbox.withSandbox(configuration) { sandbox in
            let environment = RunCommandTests.environment(sandbox)
            let events = folder.appendingPathComponent("term.ndjson")
            let process = try Self.startRun(url, sandbox, events: events)
            // Once one item is done (a loaded machine may take long: the sandbox shares this process).
            try await Self.waitFor("\"outcome\":\"ingested\"", in: events, limit: 180)
            process.terminate()
            try await Self.waitForExit(process)
            #expect(process.terminationStatus == 3)
            let status = try await ChildProcess.run(
                ChildProcess.jwingest, ["status", url.path, "--endpoint", sandbox.endpoint], environment: environment)
            #expect(status.status == 0)
            #expect(status.standardOutput.contains("10 items:"))
            let plan = try await ChildProcess.run(
                ChildProcess.jwingest, ["plan", url.path, "--endpoint", sandbox.endpoint], environment: environment)
            let eventText = (try? String(contentsOf: events, encoding: .utf8)) ?? ""
            #expect(plan.standardOutput.contains("unchanged"), "\(plan.standardOutput)\n\(eventText)")
            let rerun = try await ChildProcess.run(
                ChildProcess.jwingest, ["run", url.path, "--endpoint", sandbox.endpoint, "--no-progress"],
                environment: environment)
            #expect(rerun.status == 0, "\(rerun.standardOutput)\(rerun.standardError)")
            #expect(rerun.standardOutput.contains("unchanged since an earlier run"))
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 10)
            #expect(Set(videos.compactMap { $0.custom["ingest_id"] }).count == 10)
            #expect(videos.allSatisfy { $0.md5 != nil })
        }
    }
}

/// A repeatable random sequence (SplitMix64), so that the kill instants are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
