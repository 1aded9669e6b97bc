import AsyncHTTPClient
import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

/// HTTPS for real: the sandbox serves TLS with a throw-away certificate authority, and clients that trust
/// it (jwingest with --ca-file, curl --cacert) ingest over it; a client that does not is refused.
@Suite("sandbox over TLS: a throw-away CA, --ca-file")
struct SandboxTLSTests {
    static func tlsConfiguration() throws -> (SandboxConfiguration, SandboxTLS) {
        var configuration = SandboxConfiguration()
        let tls = try SandboxTLS.throwAway()
        configuration.tls = tls
        return (configuration, tls)
    }

    static func writeAuthority(_ tls: SandboxTLS, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("ca.pem")
        try Data(try #require(tls.authorityPEM).utf8).write(to: url)
        return url
    }

    @Test("the demo manifest over https with --ca-file: every item arrives; without it, the certificate is refused")
    func v1IngestOverTLS() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-tls")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (configuration, tls) = try Self.tlsConfiguration()
        let authority = try Self.writeAuthority(tls, in: folder)
        try await Sandbox.withSandbox(configuration) { sandbox in
            #expect(sandbox.endpoint.hasPrefix("https://127.0.0.1:"))
            let environment = [
                "JW_API_KEY": sandbox.credentials.key,
                "JW_API_SECRET": sandbox.credentials.secret.withRevealedText { $0 },
            ]
            let demo = TestTools.repository.appendingPathComponent("manifests/demo.yaml")
            let refused = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "run", demo.path, "--endpoint", sandbox.endpoint, "--no-progress", "--journal",
                    folder.appendingPathComponent("refused.sqlite").path,
                ], environment: environment, timeout: .seconds(120))
            #expect(refused.status != 0)
            #expect(
                (refused.standardOutput + refused.standardError).lowercased().contains("certificate"),
                "\(refused.standardOutput)\(refused.standardError)")
            #expect(await sandbox.assets().isEmpty)

            let run = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "run", demo.path, "--endpoint", sandbox.endpoint, "--ca-file", authority.path, "--no-progress",
                    "--journal", folder.appendingPathComponent("journal.sqlite").path,
                ], environment: environment, timeout: .seconds(180))
            #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 3)
            #expect(videos.allSatisfy { $0.md5 != nil && $0.uploads == 1 })
        }
    }

    @Test("v2 over https: a multipart upload of parallel parts through a client trusting the CA")
    func v2OverTLS() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-tls")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (configuration, tls) = try Self.tlsConfiguration()
        let authority = try Self.writeAuthority(tls, in: folder)
        let httpClient = try JWPlatformHTTPClient.trusting(caFile: authority)
        try await Sandbox.withSandbox(configuration) { sandbox in
            let client = V2Client(
                credentials: sandbox.v2Credentials,
                configuration: APIClientConfiguration(endpoint: sandbox.endpoint, retry: .none),
                httpClient: httpClient)
            let bytes = TestMedia.noisyWAV(seconds: Double(6 * 1024 * 1024) / 8000, seed: 7)
            let file = folder.appendingPathComponent("tls.wav")
            try Data(bytes).write(to: file)
            let created = try await client.call(
                .post, "/v2/sites/{site_id}/media/", body: ["upload": ["method": "multipart"], "metadata": [:]])
            let upload = MultipartUpload(
                id: try #require(created.value["upload_id"]?.text),
                token: APISecret(try #require(created.value["upload_token"]?.text)))
            let parts = try await client.listParts(of: upload, count: 2)
            #expect(parts.allSatisfy { $0.link.hasPrefix("https://") })
            let plan = try MultipartPlan(fileSize: Int64(bytes.count), partSize: MultipartPlan.minimumPartSize)
            let outcome = try await PartSender(client: client, upload: upload, plan: plan, file: file).send()
            #expect(outcome.sentParts.sorted() == [1, 2])
            let id = try #require(created.value["id"]?.text)
            let asset = try #require(await sandbox.assets().first { $0.key == id })
            #expect(asset.size == Int64(bytes.count))
            #expect(asset.partPuts == 2)
        }
    }

    @Test("jwingest sandbox --tls prints its CA; curl --cacert and jwingest call --ca-file reach it")
    func commandLine() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-tls")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("sandbox.out")
        let descriptor = open(output.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        try #require(descriptor >= 0)
        let sandbox = try ChildProcess.start(
            ChildProcess.jwingest, ["sandbox", "--tls", "--data", folder.appendingPathComponent("data").path],
            standardOutput: descriptor, standardError: descriptor)
        close(descriptor)
        defer { sandbox.terminate() }
        var text = ""
        for _ in 0..<300 where !text.contains("CA certificate") {
            try await Task.sleep(for: .milliseconds(50))
            text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        }
        func value(_ prefix: String) -> String? {
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix(prefix) }
                .map { String($0.dropFirst(prefix.count)) }
        }
        let endpoint = try #require(value("--endpoint "), "\(text)")
        #expect(endpoint.hasPrefix("https://127.0.0.1:"))
        let authority = try #require(value("CA certificate ")?.split(separator: " ").first.map(String.init), "\(text)")
        let site = try #require(value("JW_SITE_ID="))
        let secret = try #require(value("JW_V2_API_SECRET="))
        let curl = try #require(ChildProcess.which("curl"))
        let bearer = "Authorization: Bearer \(secret)"
        let trusted = try await ChildProcess.run(
            curl, ["-s", "--cacert", authority, "-H", bearer, "\(endpoint)/v2/sites/\(site)/media/"],
            timeout: .seconds(30))
        #expect(trusted.status == 0 && trusted.standardOutput.contains("\"media\""), "\(trusted.standardError)")
        let untrusted = try await ChildProcess.run(
            curl, ["-s", "-H", bearer, "\(endpoint)/v2/sites/\(site)/media/"], timeout: .seconds(30))
        #expect(untrusted.status == 60, "curl exits 60 for a certificate it cannot verify")
        let call = try await ChildProcess.run(
            ChildProcess.jwingest,
            ["call", "--api", "v2", "/v2/sites/{site_id}/media/", "--endpoint", endpoint, "--ca-file", authority],
            environment: ["JW_SITE_ID": site, "JW_V2_API_SECRET": secret], timeout: .seconds(60))
        #expect(call.status == 0, "\(call.standardError)")
        #expect(call.standardOutput.contains("\"media\""))
        sandbox.terminate()
        #expect(await sandbox.waitForExit() == 0)
    }
}
