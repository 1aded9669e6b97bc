import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

/// `jwingest run` tried as a new user and a nightly job would: no silent sandbox, one run per journal, a
/// run that stops on an account-wide refusal, options for CSV manifests from the command line.
@Suite("jwingest run: the defects a new user met")
struct CommandLineHardeningTests {
    static let demo = IngestFixtures.manifests.appendingPathComponent("demo.yaml").path

    @Test(
        "an explicit --endpoint or --credentials without usable credentials exits 2, whatever the value",
        arguments: [
            ["--endpoint", "https://api.jwplatform.com"], ["--endpoint", "https://api.jwplatform.com/"],
            ["--endpoint", "http://127.0.0.1:9"], ["--credentials", "/nonexistent/jw-keys.json"],
        ])
    func noSilentSandbox(arguments: [String]) async throws {
        let result = try await ChildProcess.run(
            ChildProcess.jwingest, ["run", Self.demo, "--no-progress"] + arguments, timeout: .seconds(60))
        #expect(result.status == 2, "\(result.standardOutput)\n\(result.standardError)")
        #expect(result.standardError.contains("credentials"))
        #expect(!result.standardError.contains("embedded sandbox"))
        #expect(!result.standardOutput.contains("ingested"))
    }

    @Test("an empty credentials file is not usable credentials: exit 2, no sandbox")
    func emptyCredentialsFile() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-credentials")
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("keys.env")
        try Data().write(to: empty)
        let result = try await ChildProcess.run(
            ChildProcess.jwingest, ["run", Self.demo, "--no-progress", "--credentials", empty.path],
            timeout: .seconds(60))
        #expect(result.status == 2, "\(result.standardOutput)\n\(result.standardError)")
        #expect(!result.standardError.contains("embedded sandbox"))
    }

    @Test("a second run on the same journal exits 2 at once, naming the first run's pid and host")
    func oneRunPerJournal() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let items = (1...6).map { "  - {id: v\($0), file: media/intro.mp4, title: V\($0)}" }.joined(separator: "\n")
        let manifest = try IngestFixtures.write(
            "version: 1\noptions: {concurrency: 2}\npipeline: [validate, create, upload, verify]\nitems:\n\(items)\n",
            named: "locked.yaml", in: folder)
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "latency=300ms@api", seed: 1)
        configuration.rateLimits = .off
        try await Sandbox.withSandbox(configuration) { sandbox in
            let events = folder.appendingPathComponent("first.ndjson")
            let first = try FailureRunTests.startRun(manifest, sandbox, events: events)
            try await FailureRunTests.waitFor("\"event\":\"stageStarted\"", in: events, limit: 60)
            let started = ContinuousClock.now
            let second = try await ChildProcess.run(
                ChildProcess.jwingest, ["run", manifest.path, "--endpoint", sandbox.endpoint, "--no-progress"],
                environment: RunCommandTests.environment(sandbox), timeout: .seconds(60))
            let waited = ContinuousClock.now - started
            #expect(second.status == 2, "\(second.standardOutput)\n\(second.standardError)")
            #expect(second.standardError.contains("pid \(first.processIdentifier)"), "\(second.standardError)")
            #expect(second.standardError.contains(ProcessInfo.processInfo.hostName), "\(second.standardError)")
            // At once: not after the first run's end.
            #expect(first.isRunning)
            #expect(waited < .seconds(30))
            try await FailureRunTests.waitForExit(first)
            #expect(first.terminationStatus == 0)
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 6)
            #expect(Set(videos.compactMap { $0.custom["ingest_id"] }).count == 6)
            #expect(videos.allSatisfy { $0.uploads == 1 })
        }
    }

    @Test("a wrong secret stops the run at the first refusal: no new items, exit 1, one line saying what to check")
    func failFastOnAccountErrors() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let items = (1...20).map { "  - {id: v\($0), file: media/intro.mp4}" }.joined(separator: "\n")
        let manifest = try IngestFixtures.write(
            "version: 1\noptions: {concurrency: 2}\nitems:\n\(items)\n", named: "wrong.yaml", in: folder)
        let report = folder.appendingPathComponent("report.json")
        try await Sandbox.withSandbox { sandbox in
            for (key, secret, code) in [
                (sandbox.credentials.key, "not-the-secret", "SignatureInvalid"),
                ("nobody", "nobody-secret", "ApiKeyInvalid"),
            ] {
                let result = try await ChildProcess.run(
                    ChildProcess.jwingest,
                    [
                        "run", manifest.path, "--endpoint", sandbox.endpoint, "--no-progress", "--report",
                        report.path,
                    ], environment: ["JW_API_KEY": key, "JW_API_SECRET": secret], timeout: .seconds(120))
                #expect(result.status == 1, "\(result.standardOutput)\n\(result.standardError)")
                let lines = result.standardError.split(separator: "\n").filter { $0.contains(code) }
                #expect(lines.count == 1, "\(result.standardError)")
                #expect(lines.first?.contains("JW_API_SECRET") == true, "\(result.standardError)")
                let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any]
                // At most the items already running when the refusal came: the others never start.
                #expect((json?["failed"] as? Int ?? 99) <= 2, "\(json ?? [:])")
                #expect(json?["stopped"] as? String != nil)
                #expect(json?["exitCode"] as? Int == 1)
                #expect(!result.standardOutput.contains(secret) && !result.standardError.contains(secret))
            }
            #expect(await sandbox.assets().isEmpty)
        }
    }

    @Test("--max-failures N stops the run after N failed items, exit 1")
    func maxFailures() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let items = (1...10).map { "  - {id: s\($0), file: media/short.mp4}" }.joined(separator: "\n")
        let manifest = try IngestFixtures.write(
            "version: 1\noptions: {concurrency: 1}\nitems:\n\(items)\n", named: "short.yaml", in: folder)
        let report = folder.appendingPathComponent("report.json")
        try await Sandbox.withSandbox { sandbox in
            let result = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "run", manifest.path, "--endpoint", sandbox.endpoint, "--no-progress", "--max-failures", "3",
                    "--report", report.path,
                ], environment: RunCommandTests.environment(sandbox), timeout: .seconds(120))
            #expect(result.status == 1, "\(result.standardOutput)\n\(result.standardError)")
            #expect(result.standardError.contains("--max-failures 3"), "\(result.standardError)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any]
            #expect(json?["failed"] as? Int == 3, "\(json ?? [:])")
            // Each failure carries its code, for scripts to switch on.
            let errors = (json?["results"] as? [[String: Any]] ?? []).compactMap { $0["error"] as? [String: Any] }
            #expect(errors.count == 3)
            #expect(errors.allSatisfy { $0["code"] as? String == "invalidItem" }, "\(errors)")
        }
    }

    @Test("CSV manifests take options and a pipeline from the command line, which also override YAML options")
    func optionsFromTheCommandLine() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let csv = try IngestFixtures.write(
            "id,file,title\na,media/intro.mp4,A\nb,media/short.mp4,B\n", named: "list.csv", in: folder)
        func jwingest(_ arguments: [String], _ environment: [String: String] = [:]) async throws -> ProcessResult {
            try await ChildProcess.run(
                ChildProcess.jwingest, arguments, environment: environment, timeout: .seconds(120))
        }
        let strict = try await jwingest(["validate", csv.path])
        #expect(strict.status == 2, "\(strict.standardOutput)")
        let lenient = try await jwingest(["validate", csv.path, "--min-duration", "0.5"])
        #expect(lenient.status == 0, "\(lenient.standardOutput)\(lenient.standardError)")
        let small = try await jwingest(["validate", csv.path, "--min-duration", "0.5", "--max-size", "1KB"])
        #expect(small.status == 2)
        #expect(small.standardOutput.contains("above max_size"), "\(small.standardOutput)")
        let badLimit = try await jwingest(["validate", csv.path, "--stage-limit", "uplod=2"])
        #expect(badLimit.status == 2)
        #expect((badLimit.standardOutput + badLimit.standardError).contains("did you mean 'upload'"))
        let yaml = try await jwingest(["run", Self.demo, "--dry-run", "--min-duration", "5"])
        #expect(yaml.status == 2, "\(yaml.standardOutput)")
        #expect(yaml.standardOutput.contains("intro: WILL FAIL"))
        let help = try await jwingest(["run", "--help"])
        for flag in ["--max-size", "--min-duration", "--retries", "--pipeline", "--stage-limit", "--max-failures"] {
            #expect(help.standardOutput.contains(flag), "\(flag)")
        }
        try await Sandbox.withSandbox { sandbox in
            let run = try await jwingest(
                [
                    "run", csv.path, "--endpoint", sandbox.endpoint, "--no-progress", "--min-duration", "0.5",
                    "--pipeline", "validate,create", "--stage-limit", "create=1", "--retries", "0",
                ], RunCommandTests.environment(sandbox))
            #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 2)
            // The pipeline had no upload stage.
            #expect(videos.allSatisfy { $0.uploads == 0 })
        }
    }
}
