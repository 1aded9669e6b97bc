import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

@testable import JWIngest

/// Sending files when things are not as expected: a used link, a video that cannot take a file, a file
/// that changes while it is sent, a create whose answer was lost. Files of 8 MiB, larger than socket
/// buffers, so that a server can answer before it has read the body.
@Suite("uploads that need recovering")
struct UploadRecoveryTests {
    /// A valid 6 s MP4 padded to `size` bytes with a top-level `free` box.
    static func bigVideo(in folder: URL, size: Int) throws -> URL {
        var bytes = try Data(contentsOf: IngestFixtures.manifests.appendingPathComponent("media/harbour.mp4"))
        let padding = size - bytes.count
        var header = Data()
        withUnsafeBytes(of: UInt32(padding).bigEndian) { header.append(contentsOf: $0) }
        header.append(contentsOf: Array("free".utf8))
        bytes.append(header)
        // Random bytes from the kernel: quick even in a debug build, which keeps the cooperative threads free
        // for the sandboxes that other tests run in this process.
        let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        bytes.append(random.readData(ofLength: padding - 8))
        try random.close()
        let url = folder.appendingPathComponent("big.mp4")
        try bytes.write(to: url)
        return url
    }

    static func context(_ item: IngestItem, _ client: APIClient, stage: String, retries: Int = 3) -> StageContext {
        StageContext(
            item: item, client: client, options: ManifestOptions(retries: retries), step: PipelineStep(name: stage))
    }

    @Test("a link whose token was used is replaced through update_file, and the file arrives once more, whole")
    func usedLinkIsRenewed() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-recovery")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.bigVideo(in: folder, size: 8 << 20)
        let item = IngestItem(id: "big", source: .file(file))
        try await Sandbox.withSandbox { sandbox in
            let client = IngestFixtures.client(sandbox)
            var state = ItemState(itemID: "big")
            try await ValidateStage().run(&state, Self.context(item, client, stage: "validate"))
            try await CreateStage().run(&state, Self.context(item, client, stage: "create"))
            let link = try #require(state.uploadLink)
            // Someone else uses the token first.
            _ = try await client.upload(FileUpload(file: file, size: state.fileSize ?? 0, link: link))
            try await UploadStage().run(&state, Self.context(item, client, stage: "upload"))
            try await VerifyStage().run(&state, Self.context(item, client, stage: "verify"))
            #expect(state.verified)
            #expect(state.sent?.md5 == (try IngestFixtures.md5(file)))
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 1)
            #expect(videos.first?.key == state.mediaKey)
            #expect(videos.first?.uploads == 2)
            #expect(videos.first?.md5 == state.sent?.md5)
        }
    }

    @Test("an early refusal of a big body is reported as the server's error, not as a broken connection")
    func earlyRefusal() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-recovery")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.bigVideo(in: folder, size: 8 << 20)
        try await Sandbox.withSandbox { sandbox in
            let client = IngestFixtures.client(sandbox)
            let created = try await client.createVideo(VideoMetadata(title: "t"))
            let link = try #require(created.link)
            _ = try await client.upload(FileUpload(file: file, size: 8 << 20, link: link))
            let refused = await #expect(throws: APIError.self) {
                try await client.upload(FileUpload(file: file, size: 8 << 20, link: link))
            }
            #expect(refused?.code == .permissionDenied)
            #expect(refused?.message.contains("token") == true)
            #expect(FileTransfer.isRefusedLink(try #require(refused)))
            // S3: a presigned link used after its expiry, refused by S3 before the body is read.
            let s3 = try await client.createVideo(VideoMetadata(title: "s3"), method: .s3)
            var expired = try #require(s3.link)
            expired.query = expired.query.map {
                $0.name == "Expires" ? APIParameters.Parameter(name: "Expires", value: "1000") : $0
            }
            let rejected = await #expect(throws: UploadRejectedError.self) {
                try await client.upload(FileUpload(file: file, size: 8 << 20, link: expired, method: .s3))
            }
            #expect(rejected?.status == 403)
            let signature = try #require(expired[query: "Signature"])
            #expect(rejected?.description.contains(signature) == false)
        }
    }

    @Test("a file that grows or shrinks while it is sent is refused with its name, not sent wrong")
    func fileChanges() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-recovery")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.bigVideo(in: folder, size: 1 << 20)
        try await Sandbox.withSandbox { sandbox in
            let client = IngestFixtures.client(sandbox)
            for announced in [Int64(1 << 20) - 10, Int64(1 << 20) + 10] {
                let link = try #require(try await client.createVideo(VideoMetadata(title: "t")).link)
                let error = await #expect(throws: FileReadError.self) {
                    try await client.upload(FileUpload(file: file, size: announced, link: link))
                }
                #expect(error?.path == file.path)
                #expect(error?.reason.contains(announced < 1 << 20 ? "grew past" : "ended early") == true)
            }
            let missing = await #expect(throws: FileReadError.self) {
                let link = try #require(try await client.createVideo(VideoMetadata(title: "t")).link)
                _ = try await client.upload(
                    FileUpload(file: folder.appendingPathComponent("gone.mp4"), size: 10, link: link))
            }
            #expect(missing?.reason.contains("does not exist") == true)
            // Nothing half-sent was stored.
            #expect(await sandbox.assets().allSatisfy { $0.uploads == 0 })
        }
    }

    @Test("a video that never got its file and whose link is lost is replaced, never doubled")
    func lostLinkReplacesVideo() async throws {
        let item = IngestItem(
            id: "intro", source: .file(IngestFixtures.manifests.appendingPathComponent("media/intro.mp4")))
        try await Sandbox.withSandbox { sandbox in
            let client = IngestFixtures.client(sandbox)
            var state = ItemState(itemID: "intro")
            try await CreateStage().run(&state, Self.context(item, client, stage: "create"))
            let first = try #require(state.mediaKey)
            state.uploadLink = nil  // lost with a run that stopped
            // The upload stage deletes the video that cannot take a file and asks for create again; the
            // runner would run create, then upload, as this does.
            let outcome = try await UploadStage().run(&state, Self.context(item, client, stage: "upload"))
            #expect(outcome.description.hasPrefix("resend from create"))
            #expect(await sandbox.assets().filter { $0.kind == "video" }.isEmpty)
            try await CreateStage().run(&state, Self.context(item, client, stage: "create"))
            #expect(try await UploadStage().run(&state, Self.context(item, client, stage: "upload")) == .done)
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 1)
            #expect(videos.first?.key == state.mediaKey)
            #expect(state.mediaKey != first)
            #expect(videos.first?.custom["ingest_id"] == "intro")
            #expect(videos.first?.uploads == 1)
        }
    }

    @Test("a retried create adopts the video an earlier attempt made, once it has its file")
    func adoption() async throws {
        let file = IngestFixtures.manifests.appendingPathComponent("media/intro.mp4")
        let item = IngestItem(id: "adopt-me", source: .file(file))
        try await Sandbox.withSandbox { sandbox in
            let client = IngestFixtures.client(sandbox)
            let context = Self.context(item, client, stage: "create")
            // An earlier attempt created the video and sent its file, but its answer was lost.
            var earlier = ItemState(itemID: "adopt-me")
            try await CreateStage().run(&earlier, context)
            try await UploadStage().run(&earlier, Self.context(item, client, stage: "upload"))
            let adopted = try await CreateStage.adopt(context)
            #expect(adopted?.key == earlier.mediaKey)
            #expect(adopted?.link == nil)
            // One that never got its file is useless without its link: deleted, and nil says create anew.
            let other = IngestItem(id: "empty", source: .file(file))
            var empty = ItemState(itemID: "empty")
            try await CreateStage().run(&empty, Self.context(other, client, stage: "create"))
            #expect(try await CreateStage.adopt(Self.context(other, client, stage: "create")) == nil)
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.map(\.key) == [earlier.mediaKey])
        }
    }
}
