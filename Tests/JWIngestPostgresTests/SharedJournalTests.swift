import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

/// Several `jwingest run` workers on one manifest and one PostgreSQL journal (the real server that
/// `scripts/test.sh` starts on 127.0.0.1): every item ingested exactly once, whichever worker ran it, and
/// a worker that dies gives its items to the others.
@Suite("shared journal on PostgreSQL: many workers, one manifest")
struct SharedJournalTests {
    /// A manifest of `count` items, each a distinct file, named uniquely (its run in the database is its own).
    static func manifest(_ count: Int, in folder: URL, concurrency: Int = 2) throws -> URL {
        let intro = TestTools.repository.appendingPathComponent("manifests/media/intro.mp4")
        var lines: [String] = []
        for index in 1...count {
            let file = folder.appendingPathComponent("clip-\(index).mp4")
            try FileManager.default.linkItem(at: intro, to: file)
            lines.append("  - {id: s\(index), file: \(file.path), title: S\(index)}")
        }
        let name = "shared-\(UUID().uuidString.prefix(8)).yaml"
        let url = folder.appendingPathComponent(name)
        try Data(
            ("version: 1\noptions: {concurrency: \(concurrency)}\npipeline: [validate, create, upload, verify]\nitems:\n"
                + lines.joined(separator: "\n") + "\n").utf8
        ).write(to: url)
        return url
    }

    static func environment(_ sandbox: Sandbox) -> [String: String] {
        ["JW_API_KEY": sandbox.credentials.key, "JW_API_SECRET": sandbox.credentials.secret.withRevealedText { $0 }]
    }

    /// A `jwingest run` worker on `manifest` against `sandbox`, with its own report (and events), on the
    /// test server's database unless `journal` names another. Its standard output and error go to the
    /// report's path with `.log` added (``log(of:)`` reads them back for a failure's message).
    static func worker(
        _ manifest: URL, _ sandbox: Sandbox, report: URL, events: URL? = nil, journal: String? = nil,
        extra: [String] = []
    ) throws -> SpawnedProcess {
        var arguments = [
            "run", manifest.path, "--endpoint", sandbox.endpoint, "--journal", try journal ?? TestDatabase.url,
            "--no-progress", "--report", report.path,
        ]
        if let events { arguments += ["--events", events.path] }
        let output = open(report.path + ".log", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: report.path]) }
        defer { close(output) }
        return try ChildProcess.start(
            ChildProcess.jwingest, arguments + extra, environment: environment(sandbox), standardOutput: output,
            standardError: output)
    }

    /// The last lines a worker started by ``worker(_:_:report:events:journal:extra:)`` printed.
    static func log(of report: URL) -> String {
        let text = (try? String(contentsOf: URL(fileURLWithPath: report.path + ".log"), encoding: .utf8)) ?? ""
        return "\(report.lastPathComponent).log: …\(text.suffix(1500))"
    }

    static func ingested(_ report: URL) -> Int {
        guard let data = FileManager.default.contents(atPath: report.path),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return -1 }
        return json["ingested"] as? Int ?? -1
    }

    @Test("one worker: a run, then a re-run that finds every item done and sends nothing")
    func oneWorkerResumes() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-shared")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try Self.manifest(5, in: folder)
        try await Sandbox.withSandbox { sandbox in
            for round in 1...2 {
                let result = try await ChildProcess.run(
                    ChildProcess.jwingest,
                    [
                        "run", manifest.path, "--endpoint", sandbox.endpoint, "--journal", try TestDatabase.url,
                        "--no-progress",
                    ],
                    environment: Self.environment(sandbox), timeout: .seconds(120))
                #expect(result.status == 0, "round \(round): \(result.standardOutput)\(result.standardError)")
                if round == 2 { #expect(!result.standardOutput.contains("ingested as"), "\(result.standardOutput)") }
            }
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 5)
            #expect(videos.allSatisfy { $0.uploads == 1 })
        }
    }

    @Test("three workers on one manifest under faults: every item once, right bytes, each worker did a part")
    func threeWorkers() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-shared")
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = Int(ProcessInfo.processInfo.environment["JWINGEST_SHARED_ITEMS"] ?? "") ?? 300
        let manifest = try Self.manifest(count, in: folder)
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "latency=20..80ms@api,latency=200..400ms@upload,500=3%@api", seed: 9)
        configuration.rateLimits = .off
        let md5sum = try await ChildProcess.run(
            try #require(ChildProcess.which("md5sum")),
            [TestTools.repository.appendingPathComponent("manifests/media/intro.mp4").path])
        let expected = String(md5sum.standardOutput.prefix(32))
        try await Sandbox.withSandbox(configuration) { sandbox in
            let reports = (1...3).map { folder.appendingPathComponent("report-\($0).json") }
            let workers = try reports.map { try Self.worker(manifest, sandbox, report: $0) }
            var statuses: [Int32] = []
            for worker in workers { statuses.append(await worker.waitForExit()) }
            #expect(statuses == [0, 0, 0], "\(statuses); \(reports.map(Self.log(of:)))")
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == count)
            #expect(Set(videos.compactMap { $0.custom["ingest_id"] }).count == count)
            #expect(videos.allSatisfy { $0.md5 == expected && $0.uploads >= 1 })
            let parts = reports.map(Self.ingested)
            #expect(parts.allSatisfy { $0 > 0 }, "each worker's share: \(parts)")
            #expect(parts.reduce(0, +) == count, "\(parts)")
        }
    }

    @Test("four workers of one account share its rate-limit windows through the database: next to no 429s")
    func sharedRateLimits() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-shared")
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = 36
        let manifest = try Self.manifest(count, in: folder)
        var configuration = SandboxConfiguration()
        // Windows of 4 seconds holding 8 calls a route: four workers of concurrency 2 would overrun each
        // window at once if each paced by what it alone had seen.
        configuration.rateLimits = RateLimitSettings(perMinute: 8, listPerMinute: 8, window: .seconds(4))
        try await Sandbox.withSandbox(configuration) { sandbox in
            let journal = try await TestDatabase.fresh()
            let reports = (1...4).map { folder.appendingPathComponent("report-\($0).json") }
            let workers = try reports.map { try Self.worker(manifest, sandbox, report: $0, journal: journal) }
            var statuses: [Int32] = []
            for worker in workers { statuses.append(await worker.waitForExit()) }
            #expect(statuses == [0, 0, 0, 0], "\(statuses); \(reports.map(Self.log(of:)))")
            let creates = try #require(await sandbox.callTallies()["/videos/create"])
            #expect(creates.answered == count)
            #expect(creates.rateLimited <= 3, "429s on /videos/create: \(creates.rateLimited) for \(count) creates")
            // No full window held more than the limit, and the creates kept up with it.
            #expect(creates.windows.values.allSatisfy { $0 <= 8 }, "\(creates.windows)")
        }
    }
}
