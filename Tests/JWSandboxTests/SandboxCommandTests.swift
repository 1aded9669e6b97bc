import Foundation
import JWPlatform
import JWTestSupport
import Testing

/// `jwingest sandbox` as a user starts it from the README: it prints its endpoint and credentials, answers
/// calls signed with them, and stops cleanly on SIGTERM.
@Suite("jwingest sandbox")
struct SandboxCommandTests {
    @Test("starts on a free port, prints what to use, serves a signed call, stops on SIGTERM with status 0")
    func startsServesStops() async throws {
        let folder = try TestMedia.temporaryFolder("jwsandbox-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.txt")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let outputHandle = try FileHandle(forWritingTo: output)
        let process = try ChildProcess.start(
            ChildProcess.jwingest, ["sandbox", "--port", "0", "--data", folder.appendingPathComponent("data").path],
            standardOutput: outputHandle.fileDescriptor)
        try outputHandle.close()
        defer { if process.isRunning { process.signal(SIGKILL) } }

        var banner = ""
        for _ in 0..<100 where !banner.contains("--endpoint") {
            try await Task.sleep(for: .milliseconds(50))
            banner = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        }
        let endpoint = try #require(banner.split(separator: "\n").first { $0.contains("--endpoint") })
            .split(separator: " ").last.map(String.init)
        let secret = try #require(banner.split(separator: "\n").first { $0.contains("JW_API_SECRET=") })
            .split(separator: "=").last.map(String.init)
        #expect(banner.contains("JW_API_KEY=sandbox1"))

        let call = try await ChildProcess.run(
            ChildProcess.jwingest,
            ["call", "/videos/create", "title=from the README", "--post", "--endpoint", endpoint ?? ""],
            environment: ["JW_API_KEY": "sandbox1", "JW_API_SECRET": secret ?? ""])
        #expect(call.status == 0, "\(call.standardError)")
        #expect(call.standardOutput.contains("\"status\":\"ok\""))

        process.terminate()
        for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
    }
}
