import Crypto
import Foundation
import JWPlatform
import JWTestSupport
import NIOCore
import Testing

@testable import JWSandbox

/// Uploads of many MiB into the sandbox by curl, whose MD5 is computed on a queue of its own while the file
/// is written (``BackgroundMD5``): the stored file, the reported MD5 and the size must be the source's, to
/// the byte; and a body that stops part-way must leave nothing behind.
@Suite("sandbox: large uploads, hashed in the background")
struct SandboxLargeUploadTests {
    /// 24 MiB: many times the MD5's bound of bytes in flight, so that the writer waits for the hash.
    static let size = 24 << 20

    /// Pseudo-random bytes (SplitMix64 from `seed`), with pieces of a multipart delimiter sown through them
    /// (`CRLF--`, `CRLF` and runs of hyphens) so that the boundary scanner holds bytes back across chunks.
    static func sourceBytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for index in words.indices {
                state &+= 0x9E37_79B9_7F4A_7C15
                var mixed = state
                mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
                mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
                words[index] = mixed ^ (mixed >> 31)
            }
        }
        let pieces: [[UInt8]] = [Array("\r\n--".utf8), Array("\r\n".utf8), Array("\r\n------------".utf8)]
        var offset = 1000
        var which = 0
        while offset + 16 < count {
            let piece = pieces[which % pieces.count]
            bytes.replaceSubrange(offset..<(offset + piece.count), with: piece)
            which += 1
            offset += 65_519 + which * 7
        }
        return bytes
    }

    static func md5(_ bytes: [UInt8]) -> String { Hex.encode(Insecure.MD5.hash(data: bytes)) }

    /// A new video (upload method `method`) and a file of ``size`` bytes; returns its key, link, path and bytes.
    static func prepare(
        _ sandbox: Sandbox, method: UploadMethod, seed: UInt64
    ) async throws
        -> (key: String, link: UploadLink, file: URL, bytes: [UInt8])
    {
        let created = try await SandboxAPITests.client(sandbox).createVideo(
            VideoMetadata(title: "large"), method: method)
        let bytes = sourceBytes(count: size, seed: seed)
        let file = try TestMedia.temporaryFolder("jwsandbox-large").appendingPathComponent("large.bin")
        try Data(bytes).write(to: file)
        return (try #require(created.media?.key), try #require(created.link), file, bytes)
    }

    /// The asset `key` holds `bytes`: its MD5, its size, and the stored file, byte for byte.
    static func expectStored(_ bytes: [UInt8], key: String, in sandbox: Sandbox) async throws {
        let asset = try #require(await sandbox.assets().first { $0.key == key })
        #expect(asset.uploads == 1)
        #expect(asset.md5 == md5(bytes))
        #expect(asset.size == Int64(bytes.count))
        let stored = try Data(contentsOf: URL(fileURLWithPath: try #require(asset.storedPath)))
        #expect(stored.count == bytes.count)
        #expect(stored == Data(bytes), "the stored file differs from the source")
    }

    @Test("a 24 MiB form upload (curl --form): the answer's md5 and size and the stored file are the source's")
    func formUpload() async throws {
        try await Sandbox.withSandbox { sandbox in
            let (key, link, file, bytes) = try await Self.prepare(sandbox, method: .form, seed: 1)
            let url = try UploadURLBuilder.formUpload(link: link, format: .json).url
            let result = try await ChildProcess.run(
                try SandboxUploadTests.curl, ["-s", "--form", "file=@\(file.path)", url])
            let answer = try UploadAnswer(
                AnswerReader(call: "upload", value: JSONAnswerFormat().decode(Array(result.standardOutput.utf8))))
            #expect(answer.md5 == Self.md5(bytes))
            #expect(answer.size == Int64(bytes.count))
            try await Self.expectStored(bytes, key: key, in: sandbox)
        }
    }

    @Test("a 24 MiB S3 PUT (curl -T): the ETag, the asset's md5 and size and the stored file are the source's")
    func s3Upload() async throws {
        try await Sandbox.withSandbox { sandbox in
            let (key, link, file, bytes) = try await Self.prepare(sandbox, method: .s3, seed: 2)
            let url = try UploadURLBuilder.s3Upload(link: link).url
            let result = try await ChildProcess.run(
                try SandboxUploadTests.curl, ["-s", "-D", "-", "-o", "/dev/null", "-T", file.path, url])
            #expect(result.standardOutput.lowercased().contains("etag: \"\(Self.md5(bytes))\""), "\(result)")
            try await Self.expectStored(bytes, key: key, in: sandbox)
        }
    }

    /// Sends a request head announcing `announced` body bytes, then `sent` of them (from the file `argv[5]`,
    /// after the prefix `argv[6]`), waits until the sandbox's folder `argv[4]` holds a file (the upload being
    /// stored), prints `partial file seen` or `no partial file`, and closes the connection.
    static let truncatedUpload = """
        import os, socket, sys, time, urllib.parse
        url, announced, sent, folder, source, prefix, extra = sys.argv[1:8]
        parts = urllib.parse.urlsplit(url)
        s = socket.create_connection((parts.hostname, parts.port))
        method = "POST" if extra else "PUT"
        head = f"{method} {parts.path}?{parts.query} HTTP/1.1\\r\\nHost: {parts.netloc}\\r\\n{extra}"
        head += f"Content-Length: {announced}\\r\\n\\r\\n"
        s.sendall(head.encode() + prefix.encode())
        with open(source, "rb") as f:
            s.sendall(f.read(int(sent)))
        seen = False
        for _ in range(200):
            if any(name.startswith(".") for name in os.listdir(folder)):
                seen = True
                break
            time.sleep(0.05)
        print("partial file seen" if seen else "no partial file")
        s.shutdown(socket.SHUT_RDWR)
        s.close()
        """

    @Test(
        "a body that stops part-way (Content-Length larger than what is sent, then closed) is discarded; the link stays",
        arguments: [UploadMethod.form, .s3])
    func truncatedBody(method: UploadMethod) async throws {
        let python = try #require(ChildProcess.which("python3"), "python3 is needed (CI installs it)")
        try await Sandbox.withSandbox { sandbox in
            let (key, link, file, bytes) = try await Self.prepare(sandbox, method: method, seed: 3)
            let sent = 6 << 20
            let url: String
            var prefix = ""
            var extra = ""
            if method == .s3 {
                url = try UploadURLBuilder.s3Upload(link: link).url
            } else {
                url = try UploadURLBuilder.formUpload(link: link, format: .json).url
                let boundary = "jwsandbox-truncated-boundary"
                extra = "Content-Type: multipart/form-data; boundary=\(boundary)\r\n"
                prefix =
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"large.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n"
            }
            let announced = prefix.utf8.count + Self.size + 200
            let result = try await ChildProcess.run(
                python,
                [
                    "-c", Self.truncatedUpload, url, String(announced), String(sent), sandbox.dataDirectory.path,
                    file.path, prefix, extra,
                ])
            #expect(result.standardOutput.contains("partial file seen"), "\(result)")
            var leftovers = try FileManager.default.contentsOfDirectory(atPath: sandbox.dataDirectory.path)
            for _ in 0..<200 where !leftovers.isEmpty {
                try await Task.sleep(for: .milliseconds(50))
                leftovers = try FileManager.default.contentsOfDirectory(atPath: sandbox.dataDirectory.path)
            }
            #expect(leftovers.isEmpty, "the partial file was kept: \(leftovers)")
            let asset = try #require(await sandbox.assets().first { $0.key == key })
            #expect(asset.uploads == 0)
            #expect(asset.md5 == nil)
            #expect(asset.size == nil)
            #expect(asset.storedPath == nil)
            // The link was not spent: the whole file still goes through it.
            let curl = try SandboxUploadTests.curl
            _ = try await ChildProcess.run(
                curl,
                method == .s3
                    ? ["-s", "-o", "/dev/null", "-T", file.path, url] : ["-s", "--form", "file=@\(file.path)", url])
            try await Self.expectStored(bytes, key: key, in: sandbox)
        }
    }

    @Test(
        "BackgroundMD5 over buffers of many sizes, with a bound smaller than most, is the MD5 of them in order",
        .timeLimit(.minutes(1)))
    func backgroundMD5() async throws {
        let bytes = Self.sourceBytes(count: 3 << 20, seed: 4)
        let md5 = BackgroundMD5(bound: 100_000)
        var offset = 0
        var length = 1
        while offset < bytes.count {
            let count = min(length, bytes.count - offset)
            await md5.update(ByteBuffer(bytes: bytes[offset..<(offset + count)]))
            offset += count
            length = length * 3 % 262_147 + 1
        }
        await md5.update(ByteBuffer())
        #expect(await md5.finish() == Self.md5(bytes))
        let empty = BackgroundMD5()
        #expect(await empty.finish() == Self.md5([]))
        // A small body is hashed on the caller alone; one that passes the inline limit goes on in the queue.
        for size in [10_000, BackgroundMD5.inlineLimit, BackgroundMD5.inlineLimit + 1] {
            let small = Array(bytes[0..<size])
            let hash = BackgroundMD5()
            await hash.update(ByteBuffer(bytes: small[0..<(size / 2)]))
            await hash.update(ByteBuffer(bytes: small[(size / 2)...]))
            #expect(await hash.finish() == Self.md5(small), "\(size) bytes")
        }
    }
}
