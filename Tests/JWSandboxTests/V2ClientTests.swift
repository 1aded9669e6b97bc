import Crypto
import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Synchronization
import Testing

/// The v2 client against the sandbox on 127.0.0.1: Bearer calls, direct and multipart uploads with
/// parallel, verified, resumable parts, errors and rate limits, and `jwingest call --api v2`.
@Suite("v2 client against the sandbox")
struct V2ClientTests {
    static func client(_ sandbox: Sandbox, retry: RetryPolicy = .none, secret: String? = nil) -> V2Client {
        var credentials = sandbox.v2Credentials
        if let secret { credentials.secret = APISecret(secret) }
        return V2Client(
            credentials: credentials, configuration: APIClientConfiguration(endpoint: sandbox.endpoint, retry: retry))
    }

    static func md5(_ bytes: [UInt8]) -> String {
        Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func write(_ bytes: [UInt8], _ name: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Polls the media until its status is no longer `created` or `processing`.
    static func settledStatus(_ client: V2Client, _ id: String) async throws -> String {
        for _ in 0..<200 {
            let media = try await client.call(.get, "/v2/sites/{site_id}/media/\(id)/")
            let status = media.value["status"]?.text ?? "?"
            if status != "created" && status != "processing" { return status }
            try await Task.sleep(for: .milliseconds(25))
        }
        return "never settled"
    }

    @Test("a direct upload and a multipart upload of parallel parts arrive whole; each media becomes ready")
    func directAndMultipart() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-v2")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Sandbox.withSandbox { sandbox in
            let client = Self.client(sandbox)
            let small = TestMedia.noisyWAV(seconds: 3, seed: 1)
            let smallFile = try Self.write(small, "small.wav", in: folder)
            let created = try await client.call(
                .post, "/v2/sites/{site_id}/media/",
                body: ["upload": ["method": "direct"], "metadata": ["title": "Small", "external_id": "ext-small"]])
            let id = try #require(created.value["id"]?.text)
            let link = try #require(created.value["upload_link"]?.text)
            let put = try await client.put(.whole(smallFile, size: Int64(small.count)), to: link)
            #expect(put.matches && put.etag == Self.md5(small))
            #expect(try await Self.settledStatus(client, id) == "ready")

            // 12 MiB and a bit in parts of 5 MiB: three parts, all in flight at once.
            let large = TestMedia.noisyWAV(seconds: Double(12 * 1024 * 1024 + 999) / 8000, seed: 2)
            let largeFile = try Self.write(large, "large.wav", in: folder)
            let multipart = try await client.call(
                .post, "/v2/sites/{site_id}/media/",
                body: ["upload": ["method": "multipart"], "metadata": ["title": "Large", "external_id": "ext-large"]])
            let largeID = try #require(multipart.value["id"]?.text)
            let upload = MultipartUpload(
                id: try #require(multipart.value["upload_id"]?.text),
                token: APISecret(try #require(multipart.value["upload_token"]?.text)))
            let plan = try MultipartPlan(fileSize: Int64(large.count), partSize: MultipartPlan.minimumPartSize)
            #expect(plan.partCount == 3)
            let stored = Mutex<[Int]>([])
            let outcome = try await PartSender(
                client: client, upload: upload, plan: plan, file: largeFile, concurrency: 3
            )
            .send(partStored: { number, _ in stored.withLock { $0.append(number) } })
            #expect(outcome.sentParts.sorted() == [1, 2, 3])
            #expect(stored.withLock { $0.sorted() } == [1, 2, 3])
            #expect(outcome.sentBytes == Int64(large.count))
            #expect(try await Self.settledStatus(client, largeID) == "ready")
            let asset = try #require(await sandbox.assets().first { $0.key == largeID })
            #expect(asset.md5 == Self.md5(large))
            #expect(asset.size == Int64(large.count))
            #expect(asset.partPuts == 3)
        }
    }

    @Test("a resumed upload sends only the parts the platform lacks; a changed file is refused, never completed")
    func resume() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-v2")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Sandbox.withSandbox { sandbox in
            let client = Self.client(sandbox)
            let bytes = TestMedia.noisyWAV(seconds: Double(11 * 1024 * 1024) / 8000, seed: 3)
            let file = try Self.write(bytes, "resume.wav", in: folder)
            let plan = try MultipartPlan(fileSize: Int64(bytes.count), partSize: MultipartPlan.minimumPartSize)
            func newUpload() async throws -> (String, MultipartUpload) {
                let created = try await client.call(
                    .post, "/v2/sites/{site_id}/media/", body: ["upload": ["method": "multipart"], "metadata": [:]])
                return (
                    try #require(created.value["id"]?.text),
                    MultipartUpload(
                        id: try #require(created.value["upload_id"]?.text),
                        token: APISecret(try #require(created.value["upload_token"]?.text)))
                )
            }
            // A first run stored parts 1 and 2, recorded part 1, and died.
            let (id, upload) = try await newUpload()
            let parts = try await client.listParts(of: upload, count: plan.partCount)
            #expect(parts.map(\.number) == [1, 2, 3] && parts.allSatisfy { $0.etag == nil })
            var recorded: [Int: String] = [:]
            for part in parts.prefix(2) {
                let result = try await client.put(plan.range(of: part.number, in: file), to: part.link)
                if part.number == 1 { recorded[1] = result.sent.md5 }
            }
            let outcome = try await PartSender(
                client: client, upload: upload, plan: plan, file: file, concurrency: 4, recorded: recorded
            ).send()
            #expect(outcome.sentParts == [3])
            #expect(try await Self.settledStatus(client, id) == "ready")
            let asset = try #require(await sandbox.assets().first { $0.key == id })
            #expect(asset.partPuts == 3)
            #expect(asset.md5 == Self.md5(bytes))

            // The file changed after part 1 was stored: the stored part is not the file's.
            let (otherID, other) = try await newUpload()
            let first = try #require(try await client.listParts(of: other, count: plan.partCount).first)
            _ = try await client.put(plan.range(of: 1, in: file), to: first.link)
            var changed = bytes
            changed[100] ^= 0xFF
            try Data(changed).write(to: file)
            let mismatch = await #expect(throws: PartMismatchError.self) {
                try await PartSender(client: client, upload: other, plan: plan, file: file).send()
            }
            #expect(mismatch?.part == 1)
            let never = try #require(await sandbox.assets().first { $0.key == otherID })
            #expect(never.md5 == nil && never.partPuts == 1)
        }
    }

    @Test("a wrong secret is 401 with what to check; an unknown media is not_found; a 429 is waited out")
    func errorsAndRateLimits() async throws {
        var configuration = SandboxConfiguration()
        configuration.rateLimits = RateLimitSettings(perMinute: 3, listPerMinute: 3, window: .seconds(4))
        try await Sandbox.withSandbox(configuration) { sandbox in
            let wrong = Self.client(sandbox, secret: "not-the-secret-0123456789")
            let refused = await #expect(throws: APIError.self) {
                try await wrong.call(.get, "/v2/sites/{site_id}/media/")
            }
            #expect(refused?.httpStatus == 401)
            #expect(refused?.accountWideAdvice?.contains("JW_V2_API_SECRET") == true)
            #expect(refused.map { "\($0)" }?.contains("not-the-secret") == false)

            let client = Self.client(sandbox, retry: RetryPolicy(maxAttempts: 6))
            let missing = await #expect(throws: APIError.self) {
                try await client.call(.get, "/v2/sites/{site_id}/media/Zz9Zz9Zz/")
            }
            #expect(missing?.httpStatus == 404)
            #expect(missing?.code.rawValue == "not_found")

            // Nine lists at once under 3 a window: every one answered, the 429s waited out.
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<9 {
                    group.addTask {
                        let page = try await client.call(
                            .get, "/v2/sites/{site_id}/media/", query: [("page_length", "5")])
                        return page.value["media"]?.arrayValue != nil
                    }
                }
                for try await listed in group { #expect(listed) }
            }
            let tallies = await sandbox.callTallies()
            let lists = try #require(
                tallies.first { $0.key.hasPrefix("GET /v2/sites/") && $0.key.hasSuffix("/media/") })
            #expect(lists.value.answered == 9)
            #expect(lists.value.rateLimited >= 1)
        }
    }

    @Test("jwingest call --api v2: a list, a create with the upload token redacted, a wrong secret exits 1")
    func callCommand() async throws {
        try await Sandbox.withSandbox { sandbox in
            let secret = sandbox.v2Credentials.secret.withRevealedText { $0 }
            let environment = ["JW_SITE_ID": sandbox.v2Credentials.siteID, "JW_V2_API_SECRET": secret]
            let created = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "call", "--api", "v2", "POST", "/v2/sites/{site_id}/media/", "--endpoint", sandbox.endpoint,
                    "--body", #"{"upload": {"method": "multipart"}, "metadata": {"title": "Via CLI"}}"#,
                ], environment: environment, timeout: .seconds(60))
            #expect(created.status == 0, "\(created.standardError)")
            #expect(created.standardOutput.contains("\"upload_token\":\"<redacted>\""), "\(created.standardOutput)")
            let listed = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "call", "--api", "v2", "GET", "/v2/sites/{site_id}/media/", "page_length=5", "--endpoint",
                    sandbox.endpoint,
                ],
                environment: environment, timeout: .seconds(60))
            #expect(listed.status == 0, "\(listed.standardError)")
            #expect(listed.standardOutput.contains("Via CLI"), "\(listed.standardOutput)")
            #expect(listed.standardOutput.contains("\"page_length\":5"), "\(listed.standardOutput)")
            let refused = try await ChildProcess.run(
                ChildProcess.jwingest,
                ["call", "--api", "v2", "/v2/sites/{site_id}/media/", "--endpoint", sandbox.endpoint],
                environment: [
                    "JW_SITE_ID": sandbox.v2Credentials.siteID, "JW_V2_API_SECRET": "wrong-secret-987654321",
                ],
                timeout: .seconds(60))
            #expect(refused.status == 1)
            #expect(refused.standardError.contains("401"), "\(refused.standardError)")
            #expect(!refused.standardError.contains("wrong-secret-987654321"))
            let none = try await ChildProcess.run(
                ChildProcess.jwingest,
                ["call", "--api", "v2", "/v2/sites/{site_id}/media/", "--endpoint", sandbox.endpoint],
                timeout: .seconds(60))
            #expect(none.status == 2)
            #expect(none.standardError.contains("JW_V2_API_SECRET"), "\(none.standardError)")
        }
    }
}
