import Foundation
import JWSandbox
import JWTestSupport
import Testing

/// A stage of a library user's own, across SIGKILLs and resumes: its side effect happens once per item and
/// the typed value it keeps is there for later stages (`Examples/CountingStage`).
@Suite("custom stages across kills and resumes")
struct CustomStageResumeTests {
    static var program: URL { ChildProcess.productsDirectory.appendingPathComponent("counting-example") }

    @Test("killed with SIGKILL after the stage on some items and before it on others, then run again: once each")
    func onceEachAcrossKills() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-counting")
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = 12
        var lines: [String] = []
        for index in 1...count {
            let sub = folder.appendingPathComponent("media/\(index)")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            let file = try UploadRecoveryTests.bigVideo(in: sub, size: 1 << 20)
            lines.append("  - {id: c\(index), file: \(file.path), title: C\(index)}")
        }
        let manifest = try IngestFixtures.write(
            "version: 1\noptions: {concurrency: 3}\n"
                + "pipeline: [validate, create, count-runs, upload, verify, check-count]\nitems:\n"
                + lines.joined(separator: "\n") + "\n", named: "counting.yaml", in: folder)
        let countFile = folder.appendingPathComponent("count.txt")
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "latency=50..150ms@api,latency=150..300ms@upload", seed: 3)
        configuration.rateLimits = .off
        try await Sandbox.withSandbox(configuration) { sandbox in
            var environment = RunCommandTests.environment(sandbox)
            environment["JW_ENDPOINT"] = sandbox.endpoint
            var partial: [Int] = []
            for round in 0..<4 {
                let events = folder.appendingPathComponent("events-\(round).ndjson")
                environment["JW_EVENTS"] = events.path
                let process = try ChildProcess.start(
                    Self.program, [manifest.path, countFile.path], environment: environment)
                // Once the custom stage has finished for some item, while others are still before it.
                try await FailureRunTests.waitFor(
                    "\"event\":\"stageFinished\",\"item\"", in: events, limit: 120, also: "\"stage\":\"count-runs\"")
                try await Task.sleep(for: .milliseconds(20 + 40 * round))
                process.signal(SIGKILL)
                await process.waitForExit()
                partial.append(try Self.counted(countFile).count)
            }
            let final = try await ChildProcess.run(
                Self.program, [manifest.path, countFile.path], environment: environment, timeout: .seconds(180))
            #expect(final.status == 0, "\(final.standardOutput)\(final.standardError)")
            // Some kills came with the stage done for some items and not yet for others.
            #expect(partial.contains { $0 > 0 && $0 < count }, "\(partial)")
            let counted = try Self.counted(countFile)
            #expect(counted.sorted() == (1...count).map { "c\($0)" }.sorted(), "\(counted)")
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == count)
        }
    }

    static func counted(_ file: URL) throws -> [String] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
    }
}
