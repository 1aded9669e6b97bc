import Foundation
import JWTestSupport
import Testing

/// What keeps the package building and safe elsewhere: no Linux-only calls outside their guard, and an
/// ffprobe fallback that cannot be made to fetch URLs by a hostile playlist.
@Suite("portability and the ffprobe fallback")
struct PortabilityTests {
    @Test("no Glibc. call outside #if canImport(Glibc), so the package builds on macOS")
    func glibcCallsAreGuarded() throws {
        let sources = TestTools.repository.appendingPathComponent("Sources")
        let files =
            FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 50)
        var unguarded: [String] = []
        for file in files {
            var depth = 0
            var guarded: [Bool] = []
            for (number, line) in try String(contentsOf: file, encoding: .utf8).split(
                separator: "\n", omittingEmptySubsequences: false
            ).enumerated() {
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.hasPrefix("#if") {
                    guarded.append(text.contains("canImport(Glibc)") || text.contains("os(Linux)"))
                    depth += 1
                } else if text.hasPrefix("#else") || text.hasPrefix("#elseif"), !guarded.isEmpty {
                    guarded[guarded.count - 1] = text.contains("canImport(Glibc)") || text.contains("os(Linux)")
                } else if text.hasPrefix("#endif"), !guarded.isEmpty {
                    guarded.removeLast()
                    depth -= 1
                }
                if text.contains("Glibc."), !guarded.contains(true) {
                    unguarded.append("\(file.lastPathComponent):\(number + 1)")
                }
            }
        }
        #expect(unguarded.isEmpty, "\(unguarded)")
    }

    @Test("--allow-ffprobe asks ffprobe with -protocol_whitelist file, so a playlist cannot make it fetch URLs")
    func ffprobeProtocolWhitelist() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-ffprobe")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A stand-in ffprobe that records its arguments and answers like the real one.
        let record = folder.appendingPathComponent("arguments.txt")
        let signals = folder.appendingPathComponent("signals.txt")
        let fake = folder.appendingPathComponent("ffprobe")
        try Data(
            """
            #!/bin/sh
            printf '%s\\n' "$@" > '\(record.path)'
            while read -r line; do case "$line" in SigBlk*|SigIgn*) echo "$line";; esac; done < /proc/$$/status > '\(signals.path)'
            echo '{"format": {"duration": "12.5", "format_name": "hls"}, "streams": [{"codec_type": "video"}]}'

            """.utf8
        ).write(to: fake)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let playlist = folder.appendingPathComponent("list.m3u8")
        try Data("#EXTM3U\n#EXTINF:12.5,\nhttp://127.0.0.1:9/segment.ts\n".utf8).write(to: playlist)
        let path = folder.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try await ChildProcess.run(
            ChildProcess.jwingest, ["probe", playlist.path, "--allow-ffprobe", "--json"], environment: ["PATH": path],
            timeout: .seconds(60))
        #expect(result.status == 0 || result.status == 1, "\(result.standardError)")
        let arguments = try String(contentsOf: record, encoding: .utf8).split(separator: "\n").map(String.init)
        let position = try #require(arguments.firstIndex(of: "-protocol_whitelist"), "\(arguments)")
        #expect(arguments[position + 1] == "file")
        #expect(arguments.last == playlist.path)
        // Started with SIGTERM and SIGINT neither blocked nor ignored, so that it can be stopped. (The masks
        // are read with shell built-ins: a shell blocks its signals for a while around each fork.)
        let masks = try String(contentsOf: signals, encoding: .utf8)
        #expect(!Self.holds(masks, "SigBlk", SIGTERM) && !Self.holds(masks, "SigIgn", SIGTERM), "\(masks)")
        #expect(!Self.holds(masks, "SigBlk", SIGINT) && !Self.holds(masks, "SigIgn", SIGINT), "\(masks)")
    }

    /// Whether the mask `name` (`SigBlk`, `SigIgn`) of a `/proc/PID/status` text holds `signal`. (The C
    /// library keeps two real-time signals of its own ignored; only the ones a user sends matter.)
    static func holds(_ status: String, _ name: String, _ signal: Int32) -> Bool {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
            let mask = UInt64(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return true }
        return mask & (UInt64(1) << UInt64(signal - 1)) != 0
    }

    @Test("children the tests start block and ignore no signal, so SIGTERM stops them")
    func testChildrenCanBeStopped() async throws {
        let sleeper = try ChildProcess.start(try #require(ChildProcess.which("sleep")), ["60"])
        let status = try String(contentsOfFile: "/proc/\(sleeper.processIdentifier)/status", encoding: .utf8)
        for signal in [SIGTERM, SIGINT] {
            #expect(!Self.holds(status, "SigBlk", signal) && !Self.holds(status, "SigIgn", signal), "\(status)")
        }
        sleeper.terminate()
        let started = ContinuousClock.now
        let code = await sleeper.waitForExit()
        #expect(code == 128 + SIGTERM)
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
