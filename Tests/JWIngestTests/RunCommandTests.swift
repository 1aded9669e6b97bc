import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

/// `jwingest run` and `jwingest validate` as users run them: child processes, against a sandbox on
/// 127.0.0.1 (started here, or embedded when no credentials are given), checked by what the sandbox holds.
@Suite("jwingest run and validate")
struct RunCommandTests {
    static func environment(_ sandbox: Sandbox) -> [String: String] {
        ["JW_API_KEY": sandbox.credentials.key, "JW_API_SECRET": sandbox.credentials.secret.withRevealedText { $0 }]
    }

    @Test("the README's first command: no credentials, the embedded sandbox, exit 0")
    func readmeFirstCommand() async throws {
        let result = try await ChildProcess.run(
            ChildProcess.jwingest,
            ["run", IngestFixtures.manifests.appendingPathComponent("demo.yaml").path, "--no-progress"])
        #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
        #expect(result.standardError.contains("embedded sandbox"))
        #expect(result.standardOutput.contains("4 ingested, 0 failed, 0 interrupted"))
    }

    static let combinations = ["json", "xml", "php", "py"].flatMap { format in ["form", "s3"].map { (format, $0) } }

    @Test(
        "every answer format and both upload methods, with the JSON report, JUnit and NDJSON events",
        arguments: combinations)
    func formatsAndMethods(format: String, method: String) async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-run")
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("report.json")
        let junit = folder.appendingPathComponent("junit.xml")
        let events = folder.appendingPathComponent("events.ndjson")
        let demo = IngestFixtures.manifests.appendingPathComponent("demo.yaml")
        let (result, assets, secret) = try await Sandbox.withSandbox { sandbox in
            let result = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "run", demo.path, "--endpoint", sandbox.endpoint, "--format", format, "--upload-method", method,
                    "--report", report.path, "--junit", junit.path, "--events", events.path, "--no-progress",
                    "--journal", folder.appendingPathComponent("journal.sqlite").path,
                ], environment: Self.environment(sandbox))
            return (result, await sandbox.assets(), sandbox.credentials.secret.withRevealedText { $0 })
        }
        #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
        #expect(!result.standardError.contains("embedded"))
        #expect(assets.filter { $0.kind == "video" }.count == 3)
        #expect(assets.filter { $0.kind == "video" }.allSatisfy { $0.uploads == 1 && $0.md5 != nil })
        #expect(assets.filter { $0.kind == "track" }.count == 5)
        #expect(assets.filter { $0.kind == "thumbnail" }.count == 3)
        #expect(assets.filter { $0.kind == "image" }.count == 1)
        try checkReport(report, assets: assets)
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 4)
        #expect(xml.contains("failures=\"0\""))
        let eventText = try String(contentsOf: events, encoding: .utf8)
        try checkEvents(eventText)
        // No secret anywhere a user or a log collector sees.
        let everything = [
            result.standardOutput, result.standardError, try String(contentsOf: report, encoding: .utf8), xml,
            eventText,
        ].joined()
        #expect(!everything.contains(secret))
        #expect(everything.range(of: "token=[^<&\"]", options: .regularExpression) == nil)
        #expect(everything.range(of: "Signature=[^<&\"]", options: .regularExpression) == nil)
    }

    private func checkReport(_ report: URL, assets: [SandboxAsset]) throws {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any]
        #expect(json?["ingested"] as? Int == 4)
        #expect(json?["exitCode"] as? Int == 0)
        let results = json?["results"] as? [[String: Any]] ?? []
        #expect(results.count == 4)
        for entry in results where entry["kind"] as? String == "video" {
            let key = entry["key"] as? String
            let stored = assets.first { $0.key == key }
            let received = entry["received"] as? [String: Any]
            #expect(received?["md5"] as? String == stored?.md5)
            #expect(entry["verified"] as? Bool == true)
        }
    }

    private func checkEvents(_ text: String) throws {
        let lines = text.split(separator: "\n")
        let parsed = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(parsed.count == lines.count)
        #expect(parsed.first?["event"] as? String == "runStarted")
        #expect(parsed.last?["event"] as? String == "runFinished")
        #expect(parsed.contains { $0["event"] as? String == "bytesSent" })
    }

    @Test("a manifest error exits 2 and sends nothing; an item failure exits 1 and names it")
    func exitCodes() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let mixed = try IngestFixtures.write(
            "version: 1\nitems:\n  - {id: good, file: media/intro.mp4}\n  - {id: short, file: media/short.mp4}\n",
            named: "mixed.yaml", in: folder)
        try await Sandbox.withSandbox { sandbox in
            let broken = try await ChildProcess.run(
                ChildProcess.jwingest,
                ["run", folder.appendingPathComponent("broken.yaml").path, "--endpoint", sandbox.endpoint],
                environment: Self.environment(sandbox))
            #expect(broken.status == 2)
            #expect(broken.standardError.contains("did you mean 'title'"))
            #expect(await sandbox.assets().isEmpty)

            let failed = try await ChildProcess.run(
                ChildProcess.jwingest, ["run", mixed.path, "--endpoint", sandbox.endpoint, "--no-progress"],
                environment: Self.environment(sandbox))
            #expect(failed.status == 1)
            #expect(failed.standardOutput.contains("short: FAILED at validate: the media lasts 1.00 s"))
            #expect(failed.standardOutput.contains("good: ingested"))

            let usage = try await ChildProcess.run(
                ChildProcess.jwingest, ["run", mixed.path, "--upload-method", "ftp"])
            #expect(usage.status == 2)
            // A job that names its endpoint but lacks credentials fails; it never falls back to a sandbox.
            let noCredentials = try await ChildProcess.run(
                ChildProcess.jwingest, ["run", mixed.path, "--endpoint", sandbox.endpoint])
            #expect(noCredentials.status == 2)
            #expect(noCredentials.standardError.contains("no credentials"))
            #expect(!noCredentials.standardError.contains("embedded"))
        }
    }

    @Test("SIGTERM mid-run: running items stop at a checkpoint, exit 3, the report says interrupted")
    func sigterm() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let items = (1...10).map { "  - {id: v\($0), file: media/intro.mp4}" }.joined(separator: "\n")
        let manifest = try IngestFixtures.write(
            "version: 1\noptions: {concurrency: 2}\nitems:\n\(items)\n", named: "long.yaml", in: folder)
        let report = folder.appendingPathComponent("report.json")
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "latency=200ms@api", seed: 1)
        let events = folder.appendingPathComponent("events.ndjson")
        try await Sandbox.withSandbox(configuration) { sandbox in
            let process = try FailureRunTests.startRun(manifest, sandbox, events: events, ["--report", report.path])
            // Mid-run: once the first upload has started, whatever the machine's speed.
            try await FailureRunTests.waitFor("\"stage\":\"upload\"", in: events, limit: 120)
            process.terminate()
            for _ in 0..<200 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!process.isRunning)
            #expect(process.terminationStatus == 3)
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any]
            #expect((json?["interrupted"] as? Int ?? 0) > 0)
            #expect(json?["exitCode"] as? Int == 3)
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count < 10)
            #expect(Set(videos.compactMap { $0.custom["ingest_id"] }).count == videos.count)
        }
    }

    @Test("--dry-run checks and prints the plan without a network call; validate prints every problem")
    func dryRunAndValidate() async throws {
        let demo = IngestFixtures.manifests.appendingPathComponent("demo.yaml").path
        // Port 9 on loopback answers nothing: a dry run that tried the network would fail.
        let dry = try await ChildProcess.run(
            ChildProcess.jwingest, ["run", demo, "--dry-run", "--endpoint", "http://127.0.0.1:9"],
            environment: ["JW_API_KEY": "k", "JW_API_SECRET": "s"])
        #expect(dry.status == 0, "\(dry.standardOutput)\(dry.standardError)")
        #expect(dry.standardOutput.contains("intro: create video"))
        #expect(dry.standardOutput.contains("3.00 s"))
        #expect(dry.standardOutput.contains("no problems found"))

        let broken = try await ChildProcess.run(
            ChildProcess.jwingest, ["validate", IngestFixtures.manifests.appendingPathComponent("broken.yaml").path])
        #expect(broken.status == 2)
        for expected in [
            "item 'too-short': the media lasts 1.00 s", "item 'missing-file': the file",
            "item 'harbour': the id is used twice",
            "item 'fake-thumbnail': the thumbnail fake-thumbnail.jpg is not", "did you mean 'title'",
        ] {
            #expect(broken.standardOutput.contains(expected), "\(expected)")
        }
        let good = try await ChildProcess.run(ChildProcess.jwingest, ["validate", demo])
        #expect(good.status == 0)
    }

    @Test("the example program's custom stages run against a sandbox; run twice, it creates nothing twice")
    func exampleProgram() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let keys = folder.appendingPathComponent("keys.csv")
        try await Sandbox.withSandbox { sandbox in
            var environment = Self.environment(sandbox)
            environment["JW_ENDPOINT"] = sandbox.endpoint
            for round in 1...2 {
                let result = try await ChildProcess.run(
                    ChildProcess.ingestExample, [folder.appendingPathComponent("demo.yaml").path, keys.path],
                    environment: environment, timeout: .seconds(120))
                #expect(result.status == 0, "round \(round): \(result.standardOutput)\(result.standardError)")
            }
            // The journal beside the manifest: the second run created nothing and sent nothing.
            let assets = await sandbox.assets()
            #expect(assets.filter { $0.kind == "video" }.count == 3)
            #expect(assets.filter { $0.kind == "image" }.count == 1)
            #expect(assets.allSatisfy { $0.uploads <= 1 })
        }
        let lines = try String(contentsOf: keys, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "id,key")
        let ids = lines.dropFirst().map { line -> String in String(line.prefix { $0 != "," }) }
        #expect(ids.sorted() == ["harbour", "intro", "logo", "night-train"])

        let untitled = try IngestFixtures.write(
            "version: 1\nitems:\n  - {id: t, file: media/intro.mp4, title: T}\n  - {id: u, file: media/intro.mp4}\n",
            named: "untitled.yaml", in: folder)
        let refused = try await ChildProcess.run(ChildProcess.ingestExample, [untitled.path, keys.path])
        #expect(refused.status == 1)
        #expect(refused.standardOutput.contains("u: FAILED at require-title"))
    }
}
