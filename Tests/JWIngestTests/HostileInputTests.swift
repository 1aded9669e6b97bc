import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

/// Manifests and media that attack: alias bombs, huge files, FIFOs and devices, symlinks; and secrets in
/// the URLs a manifest gives, which no output may show.
@Suite("hostile manifests, media and URLs")
struct HostileInputTests {
    /// Ten levels of ten aliases: 10^10 values once expanded.
    static let aliasBombText: String = {
        var lines = ["version: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...10 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(refs)]")
        }
        lines.append("items:\n  - {id: a, file: media/intro.mp4}")
        return lines.joined(separator: "\n") + "\n"
    }()

    /// The same bomb used as a mapping key, which a composer hashes.
    static let aliasKeyBombText: String = {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...10 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(refs)]")
        }
        lines.append("? *a10\n: 1\nversion: 1\nitems:\n  - {id: a, file: media/intro.mp4}")
        return lines.joined(separator: "\n") + "\n"
    }()

    static func validate(_ manifest: URL) async throws -> ProcessResult {
        try await ChildProcess.run(ChildProcess.jwingest, ["validate", manifest.path], timeout: .seconds(30))
    }

    @Test("an alias bomb is refused quickly with a clear error", arguments: [aliasBombText, aliasKeyBombText])
    func aliasBombRefused(text: String) async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let manifest = try IngestFixtures.write(text, named: "bomb.yaml", in: folder)
        let started = ContinuousClock.now
        let result = try await Self.validate(manifest)
        #expect(!result.timedOut)
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(result.status == 2)
        #expect(result.standardOutput.contains("aliases"), "\(result.standardOutput)\(result.standardError)")
        // A manifest with a few honest aliases is still read.
        let honest = try IngestFixtures.write(
            "version: 1\ndefaults: {author: &who A}\nitems:\n"
                + "  - {id: a, file: media/intro.mp4, tags: &tags [x, y], title: *who}\n"
                + "  - {id: b, file: media/harbour.mp4, tags: *tags, title: *who}\n",
            named: "honest.yaml", in: folder)
        let read = try await Self.validate(honest)
        #expect(read.status == 0, "\(read.standardOutput)")
    }

    @Test("a manifest over 64 MiB is refused before it is read")
    func hugeManifest() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-huge")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("huge.yaml")
        #expect(FileManager.default.createFile(atPath: manifest.path, contents: Data("version: 1\n".utf8)))
        let handle = try FileHandle(forWritingTo: manifest)
        try handle.truncate(atOffset: 65 << 20)
        try handle.close()
        let result = try await Self.validate(manifest)
        #expect(!result.timedOut)
        #expect(result.status == 2)
        #expect(result.standardOutput.contains("64 MiB"), "\(result.standardOutput)")
    }

    @Test("a manifest that is a FIFO is refused, not waited on")
    func fifoManifest() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-fifo")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("pipe.yaml")
        #expect(mkfifo(manifest.path, 0o600) == 0)
        let result = try await Self.validate(manifest)
        #expect(!result.timedOut)
        #expect(result.status == 2)
        #expect(result.standardOutput.contains("not a regular file"), "\(result.standardOutput)")
    }

    @Test("media given through a symlink is followed; a symlink to a FIFO is refused naming its target")
    func symlinkedMedia() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let link = folder.appendingPathComponent("media/linked.mp4")
        try FileManager.default.createSymbolicLink(
            at: link, withDestinationURL: folder.appendingPathComponent("media/intro.mp4"))
        let pipe = folder.appendingPathComponent("media/pipe.mp4")
        #expect(mkfifo(pipe.path, 0o600) == 0)
        let pipeLink = folder.appendingPathComponent("media/pipe-link.mp4")
        try FileManager.default.createSymbolicLink(at: pipeLink, withDestinationURL: pipe)
        let good = try IngestFixtures.write(
            "version: 1\nitems:\n  - {id: l, file: media/linked.mp4, thumbnail: media/intro.jpg}\n", named: "l.yaml",
            in: folder)
        let linked = try await Self.validate(good)
        #expect(linked.status == 0, "\(linked.standardOutput)")
        let bad = try IngestFixtures.write(
            "version: 1\nitems:\n  - {id: p, file: media/pipe-link.mp4}\n", named: "p.yaml", in: folder)
        let refused = try await Self.validate(bad)
        #expect(!refused.timedOut)
        #expect(refused.status == 2)
        #expect(refused.standardOutput.contains(pipe.path), "\(refused.standardOutput)")
        #expect(refused.standardOutput.contains("FIFO"), "\(refused.standardOutput)")
    }

    @Test("a FIFO or a device as media is refused at open even without a validate stage")
    func fifoAndDeviceWithoutValidate() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let pipe = folder.appendingPathComponent("media/pipe.mp4")
        #expect(mkfifo(pipe.path, 0o600) == 0)
        let manifest = try IngestFixtures.write(
            "version: 1\npipeline: [create, upload]\noptions: {retries: 0}\nitems:\n"
                + "  - {id: fifo, file: media/pipe.mp4}\n  - {id: zero, file: /dev/zero}\n",
            named: "special.yaml", in: folder)
        try await Sandbox.withSandbox { sandbox in
            let result = try await ChildProcess.run(
                ChildProcess.jwingest, ["run", manifest.path, "--endpoint", sandbox.endpoint, "--no-progress"],
                environment: RunCommandTests.environment(sandbox), timeout: .seconds(60))
            #expect(!result.timedOut)
            #expect(result.status == 1, "\(result.standardOutput)\(result.standardError)")
            #expect(result.standardOutput.contains("fifo: FAILED"), "\(result.standardOutput)")
            #expect(result.standardOutput.contains("zero: FAILED"), "\(result.standardOutput)")
            #expect(result.standardOutput.contains("FIFO"), "\(result.standardOutput)")
            #expect(result.standardOutput.contains("character device"), "\(result.standardOutput)")
        }
    }

    static let secrets = [
        "pw-secret-1", "amzsig-secret-2", "amzcred-secret-3", "amztoken-secret-4", "goog-secret-5", "sigsecret6",
    ]

    @Test("signatures, credentials and passwords in URLs never reach the dry run, reports, events or journal")
    func secretsInURLs() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let address =
            "http://user:pw-secret-1@127.0.0.1:9/v.mp4?X-Amz-Signature=amzsig-secret-2&X-Amz-Credential=amzcred-secret-3"
            + "&X-Amz-Security-Token=amztoken-secret-4&X-Goog-Signature=goog-secret-5&sig=sigsecret6&keep=visible"
        let manifest = try IngestFixtures.write(
            "version: 1\npipeline: [validate, create]\nitems:\n  - {id: fetched, url: \"\(address)\"}\n",
            named: "fetch.yaml", in: folder)
        let journal = folder.appendingPathComponent("state/journal.sqlite")
        let report = folder.appendingPathComponent("report.json")
        let junit = folder.appendingPathComponent("junit.xml")
        let events = folder.appendingPathComponent("events.ndjson")
        var seen: [String] = []
        try await Sandbox.withSandbox { sandbox in
            let endpoint = sandbox.endpoint.replacingOccurrences(of: "http://", with: "http://ops:pw-secret-1@")
            let environment = RunCommandTests.environment(sandbox)
            let dry = try await ChildProcess.run(
                ChildProcess.jwingest, ["run", manifest.path, "--dry-run"], environment: environment,
                timeout: .seconds(60))
            let run = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "run", manifest.path, "--endpoint", endpoint, "--no-progress", "--journal", journal.path,
                    "--report", report.path, "--junit", junit.path, "--events", events.path,
                ], environment: environment, timeout: .seconds(60))
            #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
            #expect(dry.standardOutput.contains("keep=visible"), "\(dry.standardOutput)")
            seen = [dry.standardOutput, dry.standardError, run.standardOutput, run.standardError]
        }
        for file in [report, junit, events] { seen.append(try String(contentsOf: file, encoding: .utf8)) }
        for suffix in ["", "-wal"] {
            let path = journal.path + suffix
            if let bytes = FileManager.default.contents(atPath: path) {
                seen.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        for secret in Self.secrets {
            #expect(!seen.contains { $0.contains(secret) }, "\(secret) was shown")
        }
    }
}
