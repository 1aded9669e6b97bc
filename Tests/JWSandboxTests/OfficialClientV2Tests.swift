import Crypto
import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

/// The sandbox's v2 side driven by a client nobody here wrote: the official `jwplatform==2.2.2`'s
/// `Media.create_media_and_get_upload_context`, `upload` and `resume`, over TLS on 127.0.0.1:443 (that
/// client always speaks HTTPS on port 443), with `SSL_CERT_FILE` naming the sandbox's throw-away CA.
@Suite("sandbox: the official Python client's v2 uploads over TLS")
struct OfficialClientV2Tests {
    static func md5(_ bytes: [UInt8]) -> String {
        Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    @Test("a direct upload, and a multipart upload broken after its first part then resumed: whole, no part twice")
    func uploadAndResume() async throws {
        // Port 443 needs root (CI runs as root); elsewhere this fails with what to do.
        try #require(
            geteuid() == 0, "this test serves TLS on port 443, which needs root: run the suite as root (CI does)")
        let folder = try TestMedia.temporaryFolder("jwingest-official-v2")
        defer { try? FileManager.default.removeItem(at: folder) }
        let direct = TestMedia.noisyWAV(seconds: 3, seed: 11)
        let large = TestMedia.noisyWAV(seconds: Double(12 * 1024 * 1024 + 4321) / 8000, seed: 12)
        let directFile = folder.appendingPathComponent("direct.wav")
        let largeFile = folder.appendingPathComponent("large.wav")
        try Data(direct).write(to: directFile)
        try Data(large).write(to: largeFile)
        var configuration = SandboxConfiguration(host: "127.0.0.1", port: 443)
        let tls = try SandboxTLS.throwAway()
        configuration.tls = tls
        let authority = folder.appendingPathComponent("ca.pem")
        try Data(try #require(tls.authorityPEM).utf8).write(to: authority)
        let script = TestTools.repository.appendingPathComponent(
            "Tests/JWSandboxTests/Fixtures/python/official_v2_upload.py")
        try await Sandbox.withSandbox(configuration) { sandbox in
            let run = try await ChildProcess.run(
                try TestTools.python,
                [script.path, "127.0.0.1", sandbox.v2Credentials.siteID, directFile.path, largeFile.path],
                environment: [
                    "JW_V2_API_SECRET": sandbox.v2Credentials.secret.withRevealedText { $0 },
                    "SSL_CERT_FILE": authority.path,
                ], timeout: .seconds(120))
            #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
            let line = try #require(run.standardOutput.split(separator: "\n").last)
            let result = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(run.standardOutput)")
            #expect(result["failed_first"] as? Bool == true, "the first multipart attempt was meant to break")
            let assets = await sandbox.assets()
            let directAsset = try #require(assets.first { $0.key == result["direct"] as? String })
            #expect(directAsset.md5 == Self.md5(direct))
            let multipart = try #require(assets.first { $0.key == result["multipart"] as? String })
            #expect(multipart.md5 == Self.md5(large))
            #expect(multipart.size == Int64(large.count))
            // Three parts: the first stored before the break, the other two by the resume; none twice.
            #expect(multipart.partPuts == 3)
        }
    }
}
