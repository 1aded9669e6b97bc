import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

/// Workers that die, are stopped, lose their database, or lack files: the run still ingests every item
/// exactly once, and `status` and `report` tell the whole run.
@Suite("shared journal: workers killed, stopped, cut off")
struct FleetFailureTests {
    typealias Shared = SharedJournalTests

    /// The events of an events file, as JSON objects.
    static func events(_ url: URL) -> [[String: Any]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    static func time(_ event: [String: Any]) -> Date? {
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return (event["time"] as? String).flatMap { format.date(from: $0) }
    }

    /// Waits until the events file holds `count` events named `name`, or for `limit` seconds.
    static func waitForEvents(_ name: String, count: Int, in url: URL, limit: Double) async throws {
        let end = Date().addingTimeInterval(limit)
        while Date() < end {
            if events(url).filter({ $0["event"] as? String == name }).count >= count { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func expectOneAssetEach(_ sandbox: Sandbox, count: Int) async {
        let videos = await sandbox.assets().filter { $0.kind == "video" }
        #expect(videos.count == count, "\(videos.map { $0.custom["ingest_id"] ?? "?" }.sorted())")
        #expect(Set(videos.compactMap { $0.custom["ingest_id"] }).count == count)
        #expect(videos.allSatisfy { $0.md5 != nil })
    }

    @Test("SIGTERM gives the leases back at once (exit 3); status and report show the whole run")
    func stopGivesLeasesBack() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-fleet")
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = 16
        let manifest = try Shared.manifest(count, in: folder)
        let journal = try await TestDatabase.fresh()
        var configuration = SandboxConfiguration()
        // Slow uploads (8 rounds of about a second at concurrency 2): the worker is surely mid-run when
        // the test, which may be slow to look at the events while the suite runs in parallel, stops it.
        configuration.faults = try FaultPlan(spec: "latency=800..1200ms@upload", seed: 2)
        configuration.rateLimits = .off
        try await Sandbox.withSandbox(configuration) { sandbox in
            let events = folder.appendingPathComponent("stopped.ndjson")
            // Leases of a minute: a worker that waited for them would take far longer than the run.
            let stoppedReport = folder.appendingPathComponent("stopped.json")
            let stopped = try Shared.worker(
                manifest, sandbox, report: stoppedReport,
                events: events, journal: journal, extra: ["--heartbeat", "20"])
            try await Self.waitForEvents("itemFinished", count: 2, in: events, limit: 120)
            stopped.terminate()
            let stoppedStatus = await stopped.waitForExit()
            #expect(stoppedStatus == 3, "exit \(stoppedStatus); \(Shared.log(of: stoppedReport))")
            let started = ContinuousClock.now
            let takerReport = folder.appendingPathComponent("taker.json")
            let taker = try Shared.worker(
                manifest, sandbox, report: takerReport, journal: journal, extra: ["--heartbeat", "20"])
            let takerStatus = await taker.waitForExit()
            #expect(takerStatus == 0, "exit \(takerStatus); \(Shared.log(of: takerReport))")
            #expect(ContinuousClock.now - started < .seconds(50), "the stopped worker's leases were not given back")
            await Self.expectOneAssetEach(sandbox, count: count)

            let key = ["JW_API_KEY": sandbox.credentials.key]
            let status = try await ChildProcess.run(
                ChildProcess.jwingest, ["status", manifest.path, "--endpoint", sandbox.endpoint, "--journal", journal],
                environment: key, timeout: .seconds(60))
            #expect(status.status == 0, "\(status.standardError)")
            #expect(status.standardOutput.contains("\(count) items: \(count) ingested"), "\(status.standardOutput)")
            #expect(status.standardOutput.contains("workers: 0 live, 2 stopped"), "\(status.standardOutput)")
            let junit = folder.appendingPathComponent("run.xml")
            let report = try await ChildProcess.run(
                ChildProcess.jwingest,
                ["report", manifest.path, "--endpoint", sandbox.endpoint, "--journal", journal, "--junit", junit.path],
                environment: key, timeout: .seconds(60))
            #expect(report.status == 0, "\(report.standardOutput)\(report.standardError)")
            let xml = try String(contentsOf: junit, encoding: .utf8)
            #expect(xml.contains("tests=\"\(count)\" failures=\"0\""), "\(xml.prefix(300))")
            #expect(xml.components(separatedBy: "<testcase ").count == count + 1)
            // A dry run reads the shared run: nothing left to do.
            let dry = try await ChildProcess.run(
                ChildProcess.jwingest,
                ["run", manifest.path, "--endpoint", sandbox.endpoint, "--journal", journal, "--dry-run"],
                environment: Shared.environment(sandbox), timeout: .seconds(60))
            #expect(dry.status == 0, "\(dry.standardOutput)\(dry.standardError)")
            #expect(dry.standardOutput.components(separatedBy: "unchanged").count == count + 1, "\(dry.standardOutput)")
            // Each worker's own report covers its part; together, the run.
            let parts = ["stopped.json", "taker.json"].map { Shared.ingested(folder.appendingPathComponent($0)) }
            #expect(parts[1] > 0 && parts.reduce(0, +) == count, "\(parts)")
        }
    }

    @Test("one worker SIGKILLed three times and restarted, another started half-way: one asset per item")
    func killedRepeatedly() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-fleet")
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = 40
        let manifest = try Shared.manifest(count, in: folder, concurrency: 3)
        let journal = try await TestDatabase.fresh()
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "latency=20..60ms@api,latency=200..400ms@upload", seed: 5)
        configuration.rateLimits = .off
        // A heartbeat of a second: leases of three.
        let beat = ["--heartbeat", "1"]
        try await Sandbox.withSandbox(configuration) { sandbox in
            var kills: [(events: URL, at: Date)] = []
            var steady: SpawnedProcess?
            let steadyEvents = folder.appendingPathComponent("steady.ndjson")
            for round in 1...3 {
                let events = folder.appendingPathComponent("victim-\(round).ndjson")
                let victim = try Shared.worker(
                    manifest, sandbox, report: folder.appendingPathComponent("victim-\(round).json"), events: events,
                    journal: journal, extra: beat)
                try await Self.waitForEvents("itemFinished", count: 3, in: events, limit: 120)
                victim.signal(SIGKILL)
                await victim.waitForExit()
                kills.append((events, Date()))
                if round == 1 {
                    steady = try Shared.worker(
                        manifest, sandbox, report: folder.appendingPathComponent("steady.json"),
                        events: steadyEvents, journal: journal, extra: beat)
                }
            }
            let last = folder.appendingPathComponent("victim-4.ndjson")
            let survivorReport = folder.appendingPathComponent("victim-4.json")
            let survivor = try Shared.worker(
                manifest, sandbox, report: survivorReport, events: last, journal: journal, extra: beat)
            let survivorStatus = await survivor.waitForExit()
            #expect(survivorStatus == 0, "exit \(survivorStatus); \(Shared.log(of: survivorReport))")
            let steadyStatus = await steady?.waitForExit()
            #expect(
                steadyStatus == 0,
                "exit \(steadyStatus ?? -1); \(Shared.log(of: folder.appendingPathComponent("steady.json")))")
            await Self.expectOneAssetEach(sandbox, count: count)

            // Each item a killed worker held was started again soon after its death: within the lease (3 s),
            // plus the time a worker with room takes to come round (generous: the suite runs in parallel).
            let later = [steadyEvents, last] + kills.map(\.events)
            var longest = 0.0
            for (index, kill) in kills.enumerated() {
                let all = Self.events(kill.events)
                let finished = Set(
                    all.filter { $0["event"] as? String == "itemFinished" }.compactMap { $0["item"] as? String })
                let held = Set(
                    all.filter { $0["event"] as? String == "itemStarted" }.compactMap { $0["item"] as? String }
                )
                .subtracting(finished)
                for item in held {
                    let restarts = later.filter { $0 != kill.events }.flatMap(Self.events).filter {
                        $0["event"] as? String == "itemStarted" && $0["item"] as? String == item
                    }.compactMap(Self.time).filter { $0 > kill.at }
                    guard let restart = restarts.min() else {
                        // Events reach the file after the journal's write: the dead worker may have finished
                        // the item, its last line lost with the process. The journal then says so.
                        let finishedBeforeDeath = try await TestDatabase.integer(
                            """
                            SELECT count(*)::bigint FROM jwingest_item WHERE item_id = '\(item)' AND status = 'ingested'
                            AND updated_at <= to_timestamp(\(kill.at.timeIntervalSince1970))
                            """, in: journal)
                        #expect(finishedBeforeDeath == 1, "item \(item) of kill \(index + 1) never started again")
                        continue
                    }
                    longest = max(longest, restart.timeIntervalSince(kill.at))
                }
            }
            #expect(longest < 15, "an item waited \(longest) s after its worker died (lease 3 s)")
            print("killedRepeatedly: longest wait of a dead worker's item \(String(format: "%.1f", longest)) s")
        }
    }

    @Test("the database restarted mid-run: the worker stops claiming, leaves what it cannot record, and resumes")
    func databaseRestart() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-fleet")
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = TestTools.repository.appendingPathComponent("scripts/postgres.sh")
        let bash = URL(fileURLWithPath: "/bin/bash")
        // A cluster of its own: the other tests' server stays up.
        let started = try await ChildProcess.run(bash, [script.path, "start"], timeout: .seconds(120))
        try #require(started.status == 0, "\(started.standardError)")
        func exported(_ name: String) -> String? {
            started.standardOutput.split(separator: "\n").first { $0.hasPrefix("export \(name)=") }
                .map { String($0.dropFirst("export \(name)=".count)) }
        }
        let url = try #require(exported("JWINGEST_TEST_POSTGRES_URL"))
        let directory = try #require(exported("JWINGEST_TEST_POSTGRES_DIR"))
        do {
            let count = 30
            let manifest = try Shared.manifest(count, in: folder)
            var configuration = SandboxConfiguration()
            configuration.faults = try FaultPlan(spec: "latency=200..400ms@upload", seed: 6)
            configuration.rateLimits = .off
            try await Sandbox.withSandbox(configuration) { sandbox in
                let events = folder.appendingPathComponent("worker.ndjson")
                let report = folder.appendingPathComponent("worker.json")
                let worker = try Shared.worker(
                    manifest, sandbox, report: report, events: events, journal: url, extra: ["--heartbeat", "1"])
                try await Self.waitForEvents("itemFinished", count: 5, in: events, limit: 120)
                let paused = try await ChildProcess.run(bash, [script.path, "pause", directory], timeout: .seconds(60))
                #expect(paused.status == 0, "\(paused.standardError)")
                try await Task.sleep(for: .seconds(4))
                let resumed = try await ChildProcess.run(
                    bash, [script.path, "resume", directory], timeout: .seconds(60))
                #expect(resumed.status == 0, "\(resumed.standardError)")
                let result = await worker.waitForExit()
                #expect(
                    result == 0,
                    "exit \(result); \(Shared.log(of: report)); events: \(String(decoding: FileManager.default.contents(atPath: events.path) ?? Data(), as: UTF8.self).suffix(2000))"
                )
                await Self.expectOneAssetEach(sandbox, count: count)
                let abandoned = Self.events(events).filter { $0["event"] as? String == "itemAbandoned" }.count
                print("databaseRestart: \(abandoned) items left while the database was away, resumed after")
            }
        } catch {
            _ = try? await ChildProcess.run(bash, [script.path, "stop", directory], timeout: .seconds(60))
            throw error
        }
        _ = try await ChildProcess.run(bash, [script.path, "stop", directory], timeout: .seconds(60))
    }

    @Test("--only-local-files: a worker without an item's file leaves it for a worker that has it")
    func onlyLocalFiles() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-fleet")
        defer { try? FileManager.default.removeItem(at: folder) }
        let intro = TestTools.repository.appendingPathComponent("manifests/media/intro.mp4")
        // The first worker's machine sees half the files (the same paths); the second, all of them.
        var lines = [
            "version: 1", "options: {concurrency: 2}", "pipeline: [validate, create, upload, verify]", "items:",
        ]
        for index in 1...10 {
            lines.append("  - {id: f\(index), file: clip-\(index).mp4, title: F\(index)}")
        }
        let manifest = folder.appendingPathComponent("fleet.yaml")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: manifest)
        for index in 1...5 {
            try FileManager.default.linkItem(at: intro, to: folder.appendingPathComponent("clip-\(index).mp4"))
        }
        let journal = try await TestDatabase.fresh()
        try await Sandbox.withSandbox { sandbox in
            let first = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "run", manifest.path, "--endpoint", sandbox.endpoint, "--journal", journal, "--no-progress",
                    "--only-local-files",
                ],
                environment: Shared.environment(sandbox), timeout: .seconds(120))
            #expect(first.status == 0, "\(first.standardOutput)\(first.standardError)")
            #expect(first.standardOutput.contains("f6: left for another worker"), "\(first.standardOutput)")
            #expect(await sandbox.assets().filter { $0.kind == "video" }.count == 5)
            for index in 6...10 {
                try FileManager.default.linkItem(at: intro, to: folder.appendingPathComponent("clip-\(index).mp4"))
            }
            let second = try await ChildProcess.run(
                ChildProcess.jwingest,
                ["run", manifest.path, "--endpoint", sandbox.endpoint, "--journal", journal, "--no-progress"],
                environment: Shared.environment(sandbox), timeout: .seconds(120))
            #expect(second.status == 0, "\(second.standardOutput)\(second.standardError)")
            await Self.expectOneAssetEach(sandbox, count: 10)
        }
    }
}
