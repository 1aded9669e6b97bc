import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

@testable import JWIngest

/// `jwingest check` against a real sandbox: equal, different, missing and not found, with exit codes and
/// the JSON report, on v1 and v2.
@Suite("jwingest check")
struct CheckCommandTests {
    @Test("after a run every item is equal; a changed file, a deleted video and a new item are each named")
    func verdicts() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let manifest = folder.appendingPathComponent("demo.yaml")
        let journal = folder.appendingPathComponent("journal.sqlite")
        let report = folder.appendingPathComponent("check.json")
        try await Sandbox.withSandbox { sandbox in
            let environment = RunCommandTests.environment(sandbox)
            let base = ["--endpoint", sandbox.endpoint, "--journal", journal.path]
            let run = try await ChildProcess.run(
                ChildProcess.jwingest, ["run", manifest.path, "--no-progress"] + base, environment: environment,
                timeout: .seconds(120))
            #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
            let clean = try await ChildProcess.run(
                ChildProcess.jwingest, ["check", manifest.path] + base, environment: environment,
                timeout: .seconds(60))
            #expect(clean.status == 0, "\(clean.standardOutput)\(clean.standardError)")
            #expect(clean.standardOutput.contains("= intro"), "\(clean.standardOutput)")
            #expect(clean.standardOutput.contains("3 equal, 1 skipped"), "\(clean.standardOutput)")

            // The local intro changes; harbour's video is deleted; a new item was never sent.
            let intro = folder.appendingPathComponent("media/intro.mp4")
            let handle = try FileHandle(forWritingTo: intro)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data([0]))
            try handle.close()
            let harbour = await sandbox.assets().first { $0.kind == "video" && $0.custom["ingest_id"] == "harbour" }
            _ = try await IngestFixtures.client(sandbox).call(
                "/videos/delete", parameters: ["video_key": try #require(harbour?.key)])
            var text = try String(contentsOf: manifest, encoding: .utf8)
            text += "\n  - {id: newcomer, file: media/intro.mp4}\n"
            try Data(text.utf8).write(to: manifest)
            let changed = try await ChildProcess.run(
                ChildProcess.jwingest, ["check", manifest.path, "--report", report.path] + base,
                environment: environment, timeout: .seconds(60))
            #expect(changed.status == 1, "\(changed.standardOutput)\(changed.standardError)")
            #expect(changed.standardOutput.contains("* intro"), "\(changed.standardOutput)")
            #expect(changed.standardOutput.contains("? harbour"), "\(changed.standardOutput)")
            #expect(changed.standardOutput.contains("- newcomer"), "\(changed.standardOutput)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any]
            #expect(json?["different"] as? Int == 1)
            #expect(json?["missing"] as? Int == 1)
            #expect(json?["not found"] as? Int == 1)
            #expect((json?["items"] as? [Any])?.count == 5)
            // Without an account a check never falls back to a sandbox.
            let noAccount = try await ChildProcess.run(
                ChildProcess.jwingest, ["check", manifest.path], timeout: .seconds(60))
            #expect(noAccount.status == 2)
        }
    }

    @Test("check --api v2: media found by external_id count as present, the bytes said not compared")
    func onV2() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let manifest = folder.appendingPathComponent("demo.yaml")
        try await Sandbox.withSandbox { sandbox in
            var environment = V2PipelineTests.environment(sandbox)
            environment.merge(RunCommandTests.environment(sandbox)) { $1 }
            let run = try await ChildProcess.run(
                ChildProcess.jwingest,
                ["run", manifest.path, "--api", "v2", "--no-progress", "--endpoint", sandbox.endpoint],
                environment: environment, timeout: .seconds(120))
            #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
            // A new journal: the media are found by their external_id.
            let check = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "check", manifest.path, "--api", "v2", "--endpoint", sandbox.endpoint, "--journal",
                    folder.appendingPathComponent("other.sqlite").path,
                ], environment: environment, timeout: .seconds(60))
            #expect(check.status == 0, "\(check.standardOutput)\(check.standardError)")
            #expect(check.standardOutput.contains("not compared"), "\(check.standardOutput)")
            #expect(check.standardOutput.contains("3 equal"), "\(check.standardOutput)")
        }
    }
}
