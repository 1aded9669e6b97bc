import Crypto
import Foundation
import JWPlatform
import JWTestSupport
import Testing

@testable import JWSandbox

/// Uploads into the sandbox by curl, a client nobody here wrote, to URLs built by hand per API.md §3–§5.
@Suite("sandbox: the upload server")
struct SandboxUploadTests {
    static func md5(_ bytes: [UInt8]) -> String {
        Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static var curl: URL {
        get throws { try #require(ChildProcess.which("curl"), "curl is needed (CI installs it)") }
    }

    /// Creates a video and writes a WAV of `seconds` to a file; returns the link and the file.
    static func prepare(
        _ sandbox: Sandbox, seconds: Double, method: UploadMethod = .form
    ) async throws
        -> (key: String, link: UploadLink, file: URL, bytes: [UInt8])
    {
        let client = SandboxAPITests.client(sandbox)
        let created = try await client.createVideo(VideoMetadata(title: "clip"), method: method)
        let bytes = TestMedia.wav(seconds: seconds)
        let file = try TestMedia.temporaryFolder("jwsandbox-upload").appendingPathComponent("clip.wav")
        try Data(bytes).write(to: file)
        return (try #require(created.media?.key), try #require(created.link), file, bytes)
    }

    @Test(
        "curl --form file=@… uploads; the answer's md5 and size are the file's; the video becomes ready",
        arguments: [AnswerFormatName.json, .xml])
    func formUpload(format: AnswerFormatName) async throws {
        var configuration = SandboxConfiguration()
        configuration.processingTime = 0.05
        try await Sandbox.withSandbox(configuration) { sandbox in
            let (key, link, file, bytes) = try await Self.prepare(sandbox, seconds: 2.5)
            // The URL built by hand, as API.md §3 spells it (loopback keeps http).
            let url =
                "http://\(link.address)\(link.path)?api_format=\(format)&key=\(try #require(link.key))"
                + "&token=\(try #require(link.token))"
            let result = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", url])
            let answer = try UploadAnswer(
                AnswerReader(
                    call: "upload",
                    value: AnswerFormatRegistry.standard.format(named: format)
                        .decode(Array(result.standardOutput.utf8))))
            let md5sum = try await ChildProcess.run(try #require(ChildProcess.which("md5sum")), [file.path])
            #expect(answer.md5 == String(md5sum.standardOutput.prefix(32)))
            #expect(answer.md5 == Self.md5(bytes))
            #expect(answer.size == Int64(bytes.count))
            #expect(answer.key == key)
            try await Task.sleep(for: .milliseconds(100))
            let shown = try await SandboxAPITests.client(sandbox).showVideo(key: key)
            #expect(shown.status == .ready)
            #expect(shown.md5 == Self.md5(bytes))
            let asset = try #require(await sandbox.assets().first { $0.key == key })
            #expect(asset.uploads == 1)
            #expect(asset.size == Int64(bytes.count))
        }
    }

    @Test("media shorter than 2 s is accepted by the upload server and then fails processing")
    func shortMediaFails() async throws {
        var configuration = SandboxConfiguration()
        configuration.processingTime = 0
        try await Sandbox.withSandbox(configuration) { sandbox in
            let (key, link, file, _) = try await Self.prepare(sandbox, seconds: 1.5)
            let url = try UploadURLBuilder.formUpload(link: link, format: .json)
            let result = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", url.url])
            #expect(result.standardOutput.contains("\"status\":\"ok\""))
            let shown = try await SandboxAPITests.client(sandbox).showVideo(key: key)
            #expect(shown.status == .failed)
            #expect(shown.error?.contains("minimum") == true)
        }
    }

    @Test("a token is single-use, expires after 7 days, and a missing file field is ParameterMissing")
    func tokenRules() async throws {
        try await Sandbox.withSandbox { sandbox in
            let (_, link, file, _) = try await Self.prepare(sandbox, seconds: 2.5)
            let url = try UploadURLBuilder.formUpload(link: link, format: .json).url
            let noFile = try await ChildProcess.run(Self.curl, ["-s", "--form", "other=@\(file.path)", url])
            #expect(noFile.standardOutput.contains("ParameterMissing"))
            let first = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", url])
            #expect(first.standardOutput.contains("\"status\":\"ok\""))
            let second = try await ChildProcess.run(
                Self.curl, ["-s", "-w", "\n%{http_code}", "--form", "file=@\(file.path)", url])
            #expect(second.standardOutput.contains("PermissionDenied"))
            #expect(second.standardOutput.hasSuffix("403"))
            #expect(await sandbox.assets().first?.uploads == 1)
        }
        let clock = SandboxClock()
        var configuration = SandboxConfiguration()
        configuration.clock = clock
        try await Sandbox.withSandbox(configuration) { sandbox in
            let (_, link, file, _) = try await Self.prepare(sandbox, seconds: 2.5)
            clock.advance(by: 7 * 24 * 3600 + 60)
            let url = try UploadURLBuilder.formUpload(link: link, format: .json).url
            let late = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", url])
            #expect(late.standardOutput.contains("expired"))
            #expect(await sandbox.assets().first?.uploads == 0)
        }
    }

    @Test("with redirect_address the server answers 302 to the address built by key_in_path, with the query")
    func redirect() async throws {
        try await Sandbox.withSandbox { sandbox in
            let (key, link, file, _) = try await Self.prepare(sandbox, seconds: 2.5)
            let redirect = UploadRedirect(
                address: "http://example.com/done",
                query: [.init(name: "p1", value: "v 1"), .init(name: "p2", value: "x")],
                keyInPath: true)
            let url = try UploadURLBuilder.formUpload(link: link, format: .json, redirect: redirect).url
            let result = try await ChildProcess.run(
                Self.curl,
                ["-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--form", "file=@\(file.path)", url])
            #expect(result.standardOutput == "302 http://example.com/done/\(key)?p1=v%201&p2=x")
        }
    }

    @Test("the S3 method: curl -T to the presigned URL; the ETag is the MD5; a reused link is refused")
    func s3Upload() async throws {
        try await Sandbox.withSandbox { sandbox in
            let (key, link, file, bytes) = try await Self.prepare(sandbox, seconds: 2.5, method: .s3)
            #expect(link.isS3)
            let url = try UploadURLBuilder.s3Upload(link: link).url
            let result = try await ChildProcess.run(
                Self.curl, ["-s", "-D", "-", "-o", "/dev/null", "-T", file.path, url])
            #expect(result.standardOutput.lowercased().contains("etag: \"\(Self.md5(bytes))\""))
            #expect(await sandbox.assets().first { $0.key == key }?.md5 == Self.md5(bytes))
            let again = try await ChildProcess.run(Self.curl, ["-s", "-T", file.path, url])
            #expect(again.standardOutput.contains("AccessDenied"))
        }
    }

    @Test("S3 refuses more than 5 GiB by Content-Length before reading the body")
    func s3TooLarge() async throws {
        try await Sandbox.withSandbox { sandbox in
            let (_, link, _, _) = try await Self.prepare(sandbox, seconds: 2.5, method: .s3)
            let url = try UploadURLBuilder.s3Upload(link: link).url
            let result = try await ChildProcess.run(
                Self.curl,
                [
                    "-s", "-X", "PUT", "-H", "Content-Length: 6000000000", "-H", "Expect: 100-continue",
                    "--data-binary", "small", "-w", "\n%{http_code}", "--max-time", "10", url,
                ])
            #expect(result.standardOutput.contains("EntityTooLarge"))
            #expect(result.standardOutput.hasSuffix("400"))
            #expect(await sandbox.assets().allSatisfy { $0.uploads == 0 })
        }
    }

    @Test("progress: starting before the upload, done after")
    func progress() async throws {
        try await Sandbox.withSandbox { sandbox in
            let (_, link, file, _) = try await Self.prepare(sandbox, seconds: 2.5)
            let progressURL = try UploadURLBuilder.progress(link: link, callback: "cb").url
            let before = try await ChildProcess.run(Self.curl, ["-s", progressURL])
            #expect(try UploadProgress(jsonp: Array(before.standardOutput.utf8)) == .starting)
            let url = try UploadURLBuilder.formUpload(link: link, format: .json).url
            _ = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", url])
            let after = try await ChildProcess.run(Self.curl, ["-s", progressURL])
            #expect(try UploadProgress(jsonp: Array(after.standardOutput.utf8)) == .done)
        }
    }

    @Test("/_sandbox/assets lists what the sandbox holds, for other processes")
    func inspection() async throws {
        try await Sandbox.withSandbox { sandbox in
            let (key, link, file, bytes) = try await Self.prepare(sandbox, seconds: 2.5)
            let url = try UploadURLBuilder.formUpload(link: link, format: .json).url
            _ = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", url])
            let listing = try await ChildProcess.run(Self.curl, ["-s", sandbox.endpoint + "/_sandbox/assets"])
            let assets = try JSONAnswerFormat().decode(Array(listing.standardOutput.utf8))
            let first = try #require(assets.arrayValue?.first)
            #expect(first["key"]?.text == key)
            #expect(first["kind"] == "video")
            #expect(first["md5"]?.text == Self.md5(bytes))
            #expect(first["uploads"] == 1)
        }
    }

    @Test("Expect: 100-continue is answered at once, so curl does not stall a second on bodies over 1 MiB")
    func expectContinue() async throws {
        try await Sandbox.withSandbox { sandbox in
            let (_, link, file, _) = try await Self.prepare(sandbox, seconds: 300)  // 2.4 MB
            let url = try UploadURLBuilder.formUpload(link: link, format: .json).url
            let result = try await ChildProcess.run(Self.curl, ["-sv", "--form", "file=@\(file.path)", url])
            #expect(result.standardError.contains("Expect: 100-continue"))
            #expect(result.standardError.contains("HTTP/1.1 100 Continue"))
            #expect(result.standardOutput.contains("\"status\":\"ok\""))
        }
    }

    @Test("a dropped upload closes the connection mid-body, stores nothing and leaves the token unused")
    func droppedUpload() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "drop=100%@upload", seed: 3)
        try await Sandbox.withSandbox(configuration) { sandbox in
            let (key, link, file, _) = try await Self.prepare(sandbox, seconds: 300)
            let url = try UploadURLBuilder.formUpload(link: link, format: .json).url
            let result = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", url])
            #expect(result.status != 0, "curl should see the connection closed")
            let asset = try #require(await sandbox.assets().first { $0.key == key })
            #expect(asset.uploads == 0)
            #expect(asset.md5 == nil)
            let grant = await sandbox.state.grant(for: try #require(link.token))
            #expect(grant?.used == false)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: sandbox.dataDirectory.path)
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
    }

    @Test("a wrong-md5 fault answers a wrong digest but stores the true one")
    func wrongDigestAnswer() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "md5=100%@upload", seed: 3)
        try await Sandbox.withSandbox(configuration) { sandbox in
            let (key, link, file, bytes) = try await Self.prepare(sandbox, seconds: 2.5)
            let url = try UploadURLBuilder.formUpload(link: link, format: .json).url
            let result = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", url])
            let answer = try UploadAnswer(
                AnswerReader(call: "upload", value: JSONAnswerFormat().decode(Array(result.standardOutput.utf8))))
            #expect(answer.md5 != Self.md5(bytes))
            #expect(answer.md5.count == 32)
            #expect(await sandbox.assets().first { $0.key == key }?.md5 == Self.md5(bytes))
        }
    }

    @Test("download_url: the sandbox fetches the file from a loopback server; other hosts are refused")
    func downloadURL() async throws {
        var configuration = SandboxConfiguration()
        configuration.processingTime = 0
        try await Sandbox.withSandbox(configuration) { sandbox in
            let folder = try TestMedia.temporaryFolder("jwsandbox-fetch")
            defer { try? FileManager.default.removeItem(at: folder) }
            let bytes = TestMedia.wav(seconds: 2.5)
            try Data(bytes).write(to: folder.appendingPathComponent("clip.wav"))
            let server = try LoopbackFileServer(folder: folder)
            defer { server.stop() }
            let client = SandboxAPITests.client(sandbox)
            let created = try await client.createVideo(
                VideoMetadata(title: "fetched"),
                extra: ["download_url": "http://127.0.0.1:\(try await server.port())/clip.wav"])
            #expect(created.link == nil)
            let key = try #require(created.media?.key)
            var shown = try await client.showVideo(key: key)
            for _ in 0..<100 where shown.status != .ready {
                try await Task.sleep(for: .milliseconds(50))
                shown = try await client.showVideo(key: key)
            }
            #expect(shown.status == .ready)
            #expect(shown.md5 == Self.md5(bytes))
            let refused = await #expect(throws: APIError.self) {
                try await client.createVideo(
                    VideoMetadata(title: "x"), extra: ["download_url": "http://example.com/a.mp4"])
            }
            #expect(refused?.code == .parameterInvalid)
        }
    }
}

/// Python's http.server on 127.0.0.1, a port of its own choosing, serving one folder; stopped by
/// ``stop()`` or, at the latest, when the server object goes.
final class LoopbackFileServer {
    private let process: SpawnedProcess
    private let portFile: URL

    init(folder: URL) throws {
        portFile = folder.appendingPathComponent(".port")
        process = try ChildProcess.start(
            try TestTools.python,
            [
                "-c",
                """
                import http.server, os, sys
                os.chdir(sys.argv[1])
                server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
                open(sys.argv[2] + ".tmp", "w").write(str(server.server_address[1]))
                os.rename(sys.argv[2] + ".tmp", sys.argv[2])
                server.serve_forever()
                """,
                folder.path, portFile.path,
            ])
    }

    deinit { stop() }

    /// The port, once the server listens.
    func port() async throws -> Int {
        for _ in 0..<100 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) { return port }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw LoopbackServerError()
    }

    /// Stops the server (SIGTERM, which it no longer ignores) and reaps it.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<200 where process.isRunning { usleep(5000) }
    }

    struct LoopbackServerError: Error {}
}
