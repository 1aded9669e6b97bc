import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

@testable import JWIngest

/// What operators reach for: a time budget that ends a run with exit 4, a bandwidth limit on reading the
/// files, and picking items (`--only`, `--include`, `--exclude`, `--from-file`, `--failed`, `--limit`).
@Suite("operator controls: budgets, bandwidth, picking items")
struct OperatorControlsTests {
    /// A manifest of `count` copies of the intro clip in a copy of `manifests/`.
    static func items(_ count: Int, in folder: URL, options: String = "{concurrency: 2}") throws -> URL {
        let items = (1...count).map { "  - {id: v\($0), file: media/intro.mp4, title: V\($0)}" }
        return try IngestFixtures.write(
            "version: 1\noptions: \(options)\npipeline: [validate, create, upload, verify]\nitems:\n"
                + items.joined(separator: "\n") + "\n", named: "many.yaml", in: folder)
    }

    @Test("--max-duration: no item starts once the budget is spent, exit 4, the next run finishes the rest")
    func budget() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let manifest = try Self.items(12, in: folder)
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "latency=300ms@api", seed: 1)
        configuration.rateLimits = .off
        let report = folder.appendingPathComponent("report.json")
        let journal = folder.appendingPathComponent("journal.sqlite")
        try await Sandbox.withSandbox(configuration) { sandbox in
            let arguments = [
                "run", manifest.path, "--endpoint", sandbox.endpoint, "--no-progress", "--journal", journal.path,
            ]
            let first = try await ChildProcess.run(
                ChildProcess.jwingest, arguments + ["--max-duration", "1s", "--report", report.path],
                environment: RunCommandTests.environment(sandbox), timeout: .seconds(120))
            #expect(first.status == 4, "\(first.standardOutput)\(first.standardError)")
            #expect(first.standardError.contains("time budget"), "\(first.standardError)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any]
            #expect((json?["interrupted"] as? Int ?? 0) > 0, "\(String(describing: json))")
            #expect(json?["exitCode"] as? Int == 4)
            let second = try await ChildProcess.run(
                ChildProcess.jwingest, arguments, environment: RunCommandTests.environment(sandbox),
                timeout: .seconds(120))
            #expect(second.status == 0, "\(second.standardOutput)\(second.standardError)")
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 12)
            #expect(Set(videos.compactMap { $0.custom["ingest_id"] }).count == 12)
        }
    }

    @Test("a budget in the manifest is read, and a wrong one is refused with the key named")
    func budgetOption() throws {
        let folder = try TestMedia.temporaryFolder("jwingest-budget")
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = try IngestFixtures.write(
            "version: 1\noptions: {max_duration: 1h30m}\nitems:\n  - {id: a, file: a.mp4}\n", named: "g.yaml",
            in: folder)
        #expect(try Manifest.read(from: good, displayName: "g.yaml").0.options.maxDuration == 5400)
        let bad = try IngestFixtures.write(
            "version: 1\noptions: {max_duration: soon}\nitems:\n  - {id: a, file: a.mp4}\n", named: "b.yaml",
            in: folder)
        let problems = try Manifest.read(from: bad, displayName: "b.yaml").1
        #expect(problems.contains { $0.message.contains("max_duration must be a time") })
        #expect(RunDuration.seconds("6h") == 21_600)
        #expect(RunDuration.seconds("90") == 90)
        #expect(RunDuration.seconds("2d1s") == 172_801)
        #expect(RunDuration.seconds("-5") == nil)
        #expect(RunDuration.seconds("5x") == nil)
    }

    @Test("--bwlimit: rates and schedules are read; a limited run reads no faster than the limit")
    func bandwidth() async throws {
        #expect(try BandwidthSchedule("20M").bytesPerSecond(at: Date()) == 20 << 20)
        #expect(try BandwidthSchedule("off").bytesPerSecond(at: Date()) == nil)
        let schedule = try BandwidthSchedule("08:00,5M 19:00,off")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        func at(_ hour: Int) -> Date { calendar.date(from: DateComponents(year: 2026, month: 1, day: 1, hour: hour))! }
        #expect(schedule.bytesPerSecond(at: at(9), calendar: calendar) == 5 << 20)
        #expect(schedule.bytesPerSecond(at: at(20), calendar: calendar) == nil)
        #expect(schedule.bytesPerSecond(at: at(3), calendar: calendar) == nil)
        #expect(throws: BandwidthScheduleError.self) { try BandwidthSchedule("25:00,5M") }
        #expect(throws: BandwidthScheduleError.self) { try BandwidthSchedule("fast") }

        let folder = try TestMedia.temporaryFolder("jwingest-bwlimit")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try UploadRecoveryTests.bigVideo(in: folder, size: 4 << 20)
        let manifest = try IngestFixtures.write(
            "version: 1\npipeline: [validate, create, upload, verify]\nitems:\n  - {id: big, file: big.mp4}\n",
            named: "bw.yaml", in: folder)
        try await Sandbox.withSandbox { sandbox in
            let start = ContinuousClock.now
            let run = try await ChildProcess.run(
                ChildProcess.jwingest,
                ["run", manifest.path, "--endpoint", sandbox.endpoint, "--no-progress", "--bwlimit", "2M"],
                environment: RunCommandTests.environment(sandbox), timeout: .seconds(120))
            let elapsed = ContinuousClock.now - start
            #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
            // 4 MiB at 2 MiB/s: at least about 2 s (a tenth of a second may go at once).
            #expect(elapsed >= .milliseconds(1800), "\(elapsed)")
            let refused = try await ChildProcess.run(
                ChildProcess.jwingest, ["run", manifest.path, "--bwlimit", "soon"], timeout: .seconds(60))
            #expect(refused.status == 2)
            #expect(refused.standardError.contains("bandwidth limit"), "\(refused.standardError)")
        }
    }

    @Test("picking items: --only, --include, --exclude, --from-file, --limit, --failed; an unknown id is named")
    func picking() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let manifest = try Manifest.load(from: folder.appendingPathComponent("demo.yaml"))
        var selection = ItemSelection()
        selection.only = ["intro", "logo"]
        #expect(try selection.apply(to: manifest).items.map(\.id) == ["intro", "logo"])
        selection = ItemSelection()
        selection.include = ["media/*.mp4"]
        selection.exclude = ["night*"]
        #expect(try selection.apply(to: manifest).items.map(\.id) == ["intro", "harbour"])
        selection = ItemSelection()
        selection.limit = 2
        #expect(try selection.apply(to: manifest).items.count == 2)
        selection = ItemSelection()
        selection.only = ["intro", "harbor"]
        #expect(throws: ManifestError.self) { try selection.apply(to: manifest) }
        #expect(PathGlob("a/**/c.mp4").matches("a/b/x/c.mp4"))
        #expect(!PathGlob("a/*/c.mp4").matches("a/b/x/c.mp4"))
        #expect(PathGlob("ep-00[1-3]").matches("ep-002"))
        #expect(!PathGlob("ep-00[!1-3]").matches("ep-002"))

        let ids = folder.appendingPathComponent("ids.txt")
        try Data("# tonight\nharbour\n\nlogo  # the account's\n".utf8).write(to: ids)
        #expect(try ItemSelection.ids(fromFile: ids) == ["harbour", "logo"])

        // --failed: a run where one item fails, then only that one is taken again.
        let broken = try IngestFixtures.write(
            """
            version: 1
            pipeline: [validate, create, upload, verify]
            items:
              - {id: good, file: media/intro.mp4}
              - {id: gone, file: media/not-there.mp4}
            """, named: "mixed.yaml", in: folder)
        let journal = folder.appendingPathComponent("journal.sqlite")
        try await Sandbox.withSandbox { sandbox in
            let base = ["--endpoint", sandbox.endpoint, "--no-progress", "--journal", journal.path]
            let first = try await ChildProcess.run(
                ChildProcess.jwingest, ["run", broken.path] + base, environment: RunCommandTests.environment(sandbox),
                timeout: .seconds(60))
            #expect(first.status == 1)
            let plan = try await ChildProcess.run(
                ChildProcess.jwingest,
                ["plan", broken.path, "--failed", "--journal", journal.path, "--endpoint", sandbox.endpoint],
                environment: RunCommandTests.environment(sandbox), timeout: .seconds(60))
            #expect(plan.standardOutput.contains("gone:"), "\(plan.standardOutput)\(plan.standardError)")
            #expect(!plan.standardOutput.contains("good:"), "\(plan.standardOutput)")
            let again = try await ChildProcess.run(
                ChildProcess.jwingest, ["run", broken.path, "--failed"] + base,
                environment: RunCommandTests.environment(sandbox), timeout: .seconds(60))
            #expect(again.standardOutput.contains("gone: FAILED"), "\(again.standardOutput)")
            #expect(!again.standardOutput.contains("good"), "\(again.standardOutput)")
            let fromFile = try await ChildProcess.run(
                ChildProcess.jwingest,
                ["run", folder.appendingPathComponent("demo.yaml").path, "--from-file", ids.path] + base,
                environment: RunCommandTests.environment(sandbox), timeout: .seconds(60))
            #expect(fromFile.status == 0, "\(fromFile.standardOutput)\(fromFile.standardError)")
            #expect(fromFile.standardOutput.contains("2 ingested"), "\(fromFile.standardOutput)")
            let unknown = try await ChildProcess.run(
                ChildProcess.jwingest, ["validate", broken.path, "--only", "goood"], timeout: .seconds(60))
            #expect(unknown.status == 2)
            #expect(unknown.standardOutput.contains("did you mean 'good'?"), "\(unknown.standardOutput)")
        }
    }

    @Test("run --html writes one self-contained page of the run with its stage times and every item")
    func htmlFromRun() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-html-run")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("run.html")
        let demo = TestTools.repository.appendingPathComponent("manifests/demo.yaml")
        let run = try await ChildProcess.run(
            ChildProcess.jwingest, ["run", demo.path, "--no-progress", "--html", page.path], timeout: .seconds(120))
        #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
        let html = try String(contentsOf: page, encoding: .utf8)
        for id in ["intro", "harbour", "night-train", "logo"] { #expect(html.contains(id), "\(id)") }
        #expect(html.contains("<svg"))
        #expect(html.contains("upload"))
        #expect(!html.contains("<link") && !html.contains("src=") && !html.contains("href="))
    }
}
