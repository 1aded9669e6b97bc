import Foundation
import JWTestSupport
import Testing

@testable import JWPlatform

/// `jwingest probe` run as a child process on files the test writes.
@Suite("jwingest probe")
struct ProbeCommandTests {
    @Test("--json prints one object per file: a 2.5 s WAV, a text file named .mp4, an empty file")
    func jsonLines() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jwingest-probe-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let wav = folder.appendingPathComponent("tone.wav")
        let text = folder.appendingPathComponent("notes.mp4")
        let empty = folder.appendingPathComponent("empty.mov")
        try Data(TestMedia.wav(seconds: 2.5)).write(to: wav)
        try Data("just some notes\n".utf8).write(to: text)
        try Data().write(to: empty)

        let result = try await ChildProcess.run(
            ChildProcess.jwingest, ["probe", "--json", wav.path, text.path, empty.path])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 3)
        let objects = try lines.map { try JSONAnswerFormat().decode(Array($0.utf8)) }
        #expect(objects[0]["container"] == "wav")
        #expect(objects[0]["kind"] == "audio")
        #expect(objects[0]["duration"] == 2.5)
        #expect(objects[0]["path"]?.text == wav.path)
        #expect(objects[1]["kind"] == "unknown")
        #expect(objects[2]["kind"] == "unknown")
        #expect(objects[2]["reason"]?.text?.contains("empty") == true)
    }

    @Test("a missing file makes the exit status 1, and the text output names it")
    func missingFile() async throws {
        let result = try await ChildProcess.run(ChildProcess.jwingest, ["probe", "/nonexistent/clip.mp4"])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("/nonexistent/clip.mp4"))
        #expect(result.standardOutput.contains("unreadable"))
    }

    /// The fallback is exercised with a stand-in `ffprobe` (a shell script that answers like ffprobe's
    /// `-of json`), so the test runs where ffmpeg is not installed, as CI does; it proves the probe asks
    /// only when allowed, passes the file, and reads the answer.
    @Test("--allow-ffprobe asks ffprobe on the PATH about a file the probe cannot read; without it, nobody asks")
    func ffprobeFallback() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jwingest-ffprobe-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("asked.txt")
        let script = folder.appendingPathComponent("ffprobe")
        try Data(
            """
            #!/bin/sh
            for last; do :; done
            echo "$last" >> '\(log.path)'
            echo '{"streams":[{"codec_type":"video"}],"format":{"format_name":"rm,rmvb","duration":"3.250000"}}'

            """.utf8
        ).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let media = folder.appendingPathComponent("clip.rm")
        try Data([0x2E, 0x52, 0x4D, 0x46] + [UInt8](repeating: 7, count: 600)).write(to: media)
        let path = folder.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")

        let allowed = try await ChildProcess.run(
            ChildProcess.jwingest, ["probe", "--json", "--allow-ffprobe", media.path], environment: ["PATH": path])
        #expect(allowed.status == 0)
        let object = try JSONAnswerFormat().decode(Array(allowed.standardOutput.utf8))
        #expect(object["duration"] == 3.25)
        #expect(object["durationSource"] == "ffprobe")
        #expect(object["kind"] == "video")
        #expect(object["container"] == "rm")
        #expect(try String(contentsOf: log, encoding: .utf8) == media.path + "\n")

        let notAllowed = try await ChildProcess.run(
            ChildProcess.jwingest, ["probe", "--json", media.path], environment: ["PATH": path])
        #expect(try JSONAnswerFormat().decode(Array(notAllowed.standardOutput.utf8))["kind"] == "unknown")
        #expect(try String(contentsOf: log, encoding: .utf8) == media.path + "\n")
    }
}
