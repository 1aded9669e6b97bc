import Crypto
import Foundation
import JWPlatform
import JWTestSupport
import Testing

@testable import JWSandbox

/// Rules of API.md that a lenient emulator would let a client get wrong.
@Suite("sandbox: as strict as the platform")
struct SandboxStrictnessTests {
    static var curl: URL { get throws { try #require(ChildProcess.which("curl"), "curl is needed") } }

    @Test("error answers carry the rate_limit block too, and missing api_ parameters get their own codes")
    func errorAnswers() async throws {
        try await Sandbox.withSandbox { sandbox in
            let cases: [(String, APIParameters, String)] = [
                ("no key", ["api_format": "json"], "ApiKeyMissing"),
                ("no timestamp", ["api_key": sandbox.credentials.key], "TimestampMissing"),
                (
                    "bad timestamp", ["api_key": sandbox.credentials.key, "api_timestamp": "soon"],
                    "TimestampInvalid"
                ),
                (
                    "no nonce",
                    ["api_key": sandbox.credentials.key, "api_timestamp": Int64(Date().timeIntervalSince1970)],
                    "NonceMissing"
                ),
                (
                    "bad nonce",
                    [
                        "api_key": sandbox.credentials.key, "api_timestamp": Int64(Date().timeIntervalSince1970),
                        "api_nonce": "12ab",
                    ], "NonceInvalid"
                ),
                (
                    "no signature",
                    [
                        "api_key": sandbox.credentials.key, "api_timestamp": Int64(Date().timeIntervalSince1970),
                        "api_nonce": "12345678",
                    ], "SignatureMissing"
                ),
            ]
            for (name, parameters, code) in cases {
                let result = try await ChildProcess.run(
                    Self.curl, ["-s", sandbox.endpoint + "/v1/videos/list?" + parameters.encodedQuery])
                let tree = try JSONAnswerFormat().decode(Array(result.standardOutput.utf8))
                #expect(tree["status"] == "error", "\(name)")
                #expect(tree["code"]?.text == code, "\(name): \(tree)")
                #expect(tree["rate_limit"]?["limit"] == 30, "\(name): \(tree)")
            }
            let badEncoding = try await ChildProcess.run(
                Self.curl, ["-s", sandbox.endpoint + "/v1/videos/list?title=%zz&api_format=json"])
            #expect(badEncoding.standardOutput.contains("ParameterEncodingError"))
        }
    }

    @Test("the upload key of a link is not the media key, and the upload server checks it")
    func uploadKeyIsNotMediaKey() async throws {
        try await Sandbox.withSandbox { sandbox in
            let (key, link, file, _) = try await SandboxUploadTests.prepare(sandbox, seconds: 2.5)
            #expect(link.key != key)
            var wrong = link
            wrong.query = link.query.map { $0.name == "key" ? .init(name: "key", value: key) : $0 }
            let url = try UploadURLBuilder.formUpload(link: wrong, format: .json).url
            let result = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", url])
            #expect(result.standardOutput.contains("ParameterInvalid"))
        }
    }

    @Test("a declared md5 or size that the file does not match is refused, and nothing is stored")
    func declaredDigestChecked() async throws {
        try await Sandbox.withSandbox { sandbox in
            let client = SandboxAPITests.client(sandbox)
            let bytes = TestMedia.wav(seconds: 2.5)
            let folder = try TestMedia.temporaryFolder("jwsandbox-digest")
            let file = folder.appendingPathComponent("clip.wav")
            try Data(bytes).write(to: file)
            let wrongDigest = try await client.createVideo(
                VideoMetadata(title: "x"), md5: String(repeating: "0", count: 32), size: Int64(bytes.count))
            let digestURL = try UploadURLBuilder.formUpload(link: try #require(wrongDigest.link), format: .json).url
            let digest = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", digestURL])
            #expect(digest.standardOutput.contains("DigestInvalid"))
            let wrongSize = try await client.createVideo(VideoMetadata(title: "y"), size: 5)
            let sizeURL = try UploadURLBuilder.formUpload(link: try #require(wrongSize.link), format: .json).url
            let size = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", sizeURL])
            #expect(size.standardOutput.contains("FileSizeInvalid"))
            #expect(await sandbox.assets().allSatisfy { $0.uploads == 0 && $0.md5 == nil })
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: sandbox.dataDirectory.path)
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
    }

    @Test("two uploads racing for one token: exactly one is stored")
    func oneTokenTwoUploads() async throws {
        try await Sandbox.withSandbox { sandbox in
            let (key, link, file, _) = try await SandboxUploadTests.prepare(sandbox, seconds: 60)
            let url = try UploadURLBuilder.formUpload(link: link, format: .json).url
            let curl = try Self.curl
            async let first = ChildProcess.run(curl, ["-s", "--form", "file=@\(file.path)", url])
            async let second = ChildProcess.run(curl, ["-s", "--form", "file=@\(file.path)", url])
            let answers = try await [first.standardOutput, second.standardOutput]
            #expect(answers.filter { $0.contains("\"status\":\"ok\"") }.count == 1, "\(answers)")
            #expect(answers.filter { $0.contains("PermissionDenied") }.count == 1, "\(answers)")
            #expect(await sandbox.assets().first { $0.key == key }?.uploads == 1)
            let stored = try FileManager.default.contentsOfDirectory(atPath: sandbox.dataDirectory.path)
            #expect(stored.count == 1, "\(stored)")
        }
    }

    @Test(
        "update_file: refused until the video is ready; then a new link, status updating, the new file replaces the old"
    )
    func updateFile() async throws {
        var configuration = SandboxConfiguration()
        configuration.processingTime = 0
        try await Sandbox.withSandbox(configuration) { sandbox in
            let client = SandboxAPITests.client(sandbox)
            let (key, link, file, _) = try await SandboxUploadTests.prepare(sandbox, seconds: 2.5)
            let early = await #expect(throws: APIError.self) {
                try await client.updateVideo(key: key, updateFile: true)
            }
            #expect(early?.code == .preconditionFailed)
            #expect(early?.httpStatus == 412)
            let url = try UploadURLBuilder.formUpload(link: link, format: .json).url
            _ = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", url])
            #expect(try await client.showVideo(key: key).status == .ready)
            let renewed = try await client.updateVideo(key: key, updateFile: true)
            let newLink = try #require(renewed.link)
            #expect(newLink.token != link.token)
            #expect(try await client.showVideo(key: key).status == .updating)
            let longer = TestMedia.wav(seconds: 3)
            try Data(longer).write(to: file)
            let newURL = try UploadURLBuilder.formUpload(link: newLink, format: .json).url
            _ = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", newURL])
            let shown = try await client.showVideo(key: key)
            #expect(shown.status == .ready)
            #expect(shown.size == Int64(longer.count))
            #expect(await sandbox.assets().first { $0.key == key }?.uploads == 2)
            #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.dataDirectory.path).count == 1)
        }
    }

    @Test("thumbnails, tracks, images and skins: one code path, and each file judged by its kind")
    func otherTargets() async throws {
        var configuration = SandboxConfiguration()
        configuration.processingTime = 0
        try await Sandbox.withSandbox(configuration) { sandbox in
            let client = SandboxAPITests.client(sandbox)
            let video = try #require(try await client.createVideo(VideoMetadata(title: "v")).media?.key)
            let folder = try TestMedia.temporaryFolder("jwsandbox-targets")
            let vtt = folder.appendingPathComponent("en.vtt")
            try Data("WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n".utf8).write(to: vtt)
            let png = folder.appendingPathComponent("thumb.png")
            try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 32)).write(to: png)

            let track = try await client.createTrack(videoKey: video, TrackMetadata(kind: "captions", language: "en"))
            let thumbnail = try await client.updateThumbnail(videoKey: video)
            let image = try await client.uploadLinkForImage()
            let skin = try await client.uploadLinkForSkin()
            let sends: [(CreateAnswer, URL, String)] = [
                (track, vtt, "/v1/videos/tracks/upload"), (thumbnail, png, "/v1/videos/thumbnails/upload"),
                (image, png, "/v1/accounts/images/upload"), (skin, vtt, "/v1/accounts/skins/upload"),
            ]
            for (answer, file, path) in sends {
                let link = try #require(answer.link)
                #expect(link.path == path)
                let url = try UploadURLBuilder.formUpload(link: link, format: .json).url
                let result = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", url])
                #expect(result.standardOutput.contains("\"status\":\"ok\""), "\(path): \(result.standardOutput)")
            }
            let assets = await sandbox.assets()
            #expect(Set(assets.map(\.kind)) == ["video", "track", "thumbnail", "image", "skin"])
            #expect(assets.filter { $0.kind != "video" }.allSatisfy { $0.uploads == 1 && $0.failure == nil })
            // Asking for a second thumbnail link reuses the one thumbnail asset.
            _ = try await client.updateThumbnail(videoKey: video)
            #expect(await sandbox.assets().filter { $0.kind == "thumbnail" }.count == 1)
        }
    }

    @Test("S3: a wrong Expires, an expired link and extra signed-breaking headers are refused")
    func s3Checks() async throws {
        let clock = SandboxClock()
        var configuration = SandboxConfiguration()
        configuration.clock = clock
        try await Sandbox.withSandbox(configuration) { sandbox in
            let (_, link, file, _) = try await SandboxUploadTests.prepare(sandbox, seconds: 2.5, method: .s3)
            var tampered = link
            tampered.query = link.query.map { $0.name == "Expires" ? .init(name: "Expires", value: "1") : $0 }
            let wrongExpires = try await ChildProcess.run(
                Self.curl, ["-s", "-T", file.path, try UploadURLBuilder.s3Upload(link: tampered).url])
            #expect(wrongExpires.standardOutput.contains("SignatureDoesNotMatch"))
            let url = try UploadURLBuilder.s3Upload(link: link).url
            let extraHeader = try await ChildProcess.run(
                Self.curl, ["-s", "-H", "Content-Type: video/mp4", "-T", file.path, url])
            #expect(extraHeader.standardOutput.contains("SignatureDoesNotMatch"))
            clock.advance(by: 8 * 24 * 3600)
            let late = try await ChildProcess.run(Self.curl, ["-s", "-T", file.path, url])
            #expect(late.standardOutput.contains("expired"))
            #expect(await sandbox.assets().allSatisfy { $0.uploads == 0 })
        }
    }

    @Test("a video that is not media ends failed, with the reason")
    func notMedia() async throws {
        var configuration = SandboxConfiguration()
        configuration.processingTime = 0
        try await Sandbox.withSandbox(configuration) { sandbox in
            let client = SandboxAPITests.client(sandbox)
            let created = try await client.createVideo(VideoMetadata(title: "text"))
            let folder = try TestMedia.temporaryFolder("jwsandbox-notmedia")
            let file = folder.appendingPathComponent("notes.mp4")
            try Data("these are notes, not a video\n".utf8).write(to: file)
            let url = try UploadURLBuilder.formUpload(link: try #require(created.link), format: .json).url
            _ = try await ChildProcess.run(Self.curl, ["-s", "--form", "file=@\(file.path)", url])
            let shown = try await client.showVideo(key: try #require(created.media?.key))
            #expect(shown.status == .failed)
            #expect(shown.error?.contains("not a media file") == true)
        }
    }
}
