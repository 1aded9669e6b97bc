import Crypto
import Foundation
import JWPlatform
import JWTestSupport
import Testing

@testable import JWSandbox

/// The sandbox's v2 Management API driven by curl with requests built by hand, as the platform's pages and
/// the official Python client spell them: Bearer auth, JSON bodies, direct and multipart uploads.
@Suite("sandbox: the v2 Management API")
struct SandboxV2Tests {
    static var curl: URL { get throws { try #require(ChildProcess.which("curl"), "curl is needed") } }

    static func md5(_ bytes: [UInt8]) -> String {
        Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// A configuration whose media are ready soon after their file arrives.
    static var quick: SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.processingTime = 0.05
        return configuration
    }

    /// One answer read from `curl -i`.
    struct Reply {
        var status: Int
        /// Header names in lower case.
        var headers: [String: String]
        var body: String
        var json: APIValue? { try? JSONAnswerFormat().decode(Array(body.utf8)) }
        var errorCode: String? { json?["errors"]?.arrayValue?.first?["code"]?.text }
        var errorDescription: String { json?["errors"]?.arrayValue?.first?["description"]?.text ?? "" }
    }

    /// Sends one request with curl: a JSON body, or a file as the body of a `PUT` (`-T`, no Content-Type).
    static func send(
        _ method: String, _ url: String, bearer: String? = nil, json: String? = nil, file: URL? = nil,
        headers: [String] = []
    ) async throws -> Reply {
        var arguments = ["-s", "-i", "-X", method]
        if let bearer { arguments += ["-H", "Authorization: Bearer \(bearer)"] }
        for header in headers { arguments += ["-H", header] }
        if let json { arguments += ["-H", "Content-Type: application/json", "--data-binary", json] }
        if let file { arguments += ["-T", file.path] }
        let result = try await ChildProcess.run(try curl, arguments + [url])
        return parse(result.standardOutput)
    }

    /// The last response of `curl -i` output (a `100 Continue` before it is skipped).
    static func parse(_ output: String) -> Reply {
        var rest = Substring(output)
        while let end = rest.range(of: "\r\n\r\n") {
            let head = rest[..<end.lowerBound]
            rest = rest[end.upperBound...]
            let lines = head.split(separator: "\r\n")
            let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
            if (100..<200).contains(status) { continue }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            }
            return Reply(status: status, headers: headers, body: String(rest))
        }
        return Reply(status: 0, headers: [:], body: output)
    }

    static func mediaURL(_ sandbox: Sandbox, _ id: String? = nil, slash: Bool = true) -> String {
        let base = "\(sandbox.endpoint)/v2/sites/\(sandbox.v2Credentials.siteID)/media"
        let path = id.map { "\(base)/\($0)" } ?? base
        return slash ? path + "/" : path
    }

    static func secret(_ sandbox: Sandbox) -> String { sandbox.v2Credentials.secret.withRevealedText { $0 } }

    /// Creates a media; returns the answer's object.
    static func create(_ sandbox: Sandbox, _ body: String) async throws -> APIValue {
        let reply = try await send("POST", mediaURL(sandbox), bearer: secret(sandbox), json: body)
        #expect(reply.status == 201, "\(reply.body)")
        return try #require(reply.json)
    }

    /// A file of `bytes` in a new folder.
    static func file(_ bytes: [UInt8], named name: String = "clip.wav") throws -> URL {
        let url = try TestMedia.temporaryFolder("jwsandbox-v2").appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// The media's status once it is no longer `processing` (or after 5 s).
    static func settledStatus(_ sandbox: Sandbox, _ id: String) async throws -> APIValue {
        var media = try #require(try await send("GET", mediaURL(sandbox, id), bearer: secret(sandbox)).json)
        for _ in 0..<100 where ["processing", "created"].contains(media["status"]?.text ?? "") {
            try await Task.sleep(for: .milliseconds(50))
            media = try #require(try await send("GET", mediaURL(sandbox, id), bearer: secret(sandbox)).json)
        }
        return media
    }

    static func asset(_ sandbox: Sandbox, _ id: String) async throws -> APIValue {
        let listing = try await ChildProcess.run(try curl, ["-s", sandbox.endpoint + "/_sandbox/assets"])
        let assets = try JSONAnswerFormat().decode(Array(listing.standardOutput.utf8))
        return try #require(assets.arrayValue?.first { $0["key"]?.text == id })
    }

    // MARK: Direct upload

    @Test("direct: create, a bare PUT of the file to upload_link (ETag the quoted MD5), then ready")
    func directUpload() async throws {
        try await Sandbox.withSandbox(Self.quick) { sandbox in
            let created = try await Self.create(
                sandbox,
                #"{"upload":{"method":"direct"},"metadata":{"title":"clip","external_id":"ext-1","tags":["a","b"]}}"#)
            let id = try #require(created["id"]?.text)
            #expect(id.count == 8)
            #expect(created["type"] == "media")
            #expect(created["status"] == "created")
            #expect(created["external_id"] == "ext-1")
            #expect(created["metadata"]?["external_id"] == "ext-1")
            #expect(created["metadata"]?["tags"] == ["a", "b"])
            let link = try #require(created["upload_link"]?.text)
            #expect(link.hasPrefix("\(sandbox.endpoint)/s3/v2/direct/"))
            #expect(link.contains("X-Amz-Signature="))

            let bytes = TestMedia.wav(seconds: 2.5)
            let file = try Self.file(bytes)
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            let put = try await Self.send("PUT", link, file: file)
            #expect(put.status == 200, "\(put.body)")
            #expect(put.headers["etag"] == "\"\(Self.md5(bytes))\"")
            let again = try await Self.send("PUT", link, file: file)
            #expect(again.status == 403, "a direct link is single use")
            #expect(again.body.contains("<Code>AccessDenied</Code>"))

            let media = try await Self.settledStatus(sandbox, id)
            #expect(media["status"] == "ready", "\(media)")
            #expect(media["duration"]?.text == "2.5")
            let md5sum = try await ChildProcess.run(try #require(ChildProcess.which("md5sum")), [file.path])
            let asset = try await Self.asset(sandbox, id)
            #expect(asset["md5"]?.text == String(md5sum.standardOutput.prefix(32)))
            #expect(asset["kind"] == "video")
            #expect(asset["uploads"] == 1)
            #expect(asset["external_id"] == "ext-1")
            #expect(asset["part_puts"] == 0)
        }
    }

    @Test("direct: media under 2 s is stored, then failed with an error_message")
    func shortMediaFails() async throws {
        try await Sandbox.withSandbox(Self.quick) { sandbox in
            let created = try await Self.create(sandbox, #"{"upload":{},"metadata":{"title":"short"}}"#)
            let id = try #require(created["id"]?.text)
            let file = try Self.file(TestMedia.wav(seconds: 1.5))
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            let put = try await Self.send("PUT", try #require(created["upload_link"]?.text), file: file)
            #expect(put.status == 200)
            let media = try await Self.settledStatus(sandbox, id)
            #expect(media["status"] == "failed")
            #expect(media["error_message"]?.text?.contains("minimum") == true, "\(media)")
        }
    }

    @Test("a presigned PUT refuses headers its signature does not cover, and needs the signed mime_type")
    func signedHeaders() async throws {
        try await Sandbox.withSandbox(Self.quick) { sandbox in
            let file = try Self.file(TestMedia.wav(seconds: 2.5))
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            let bare = try #require(try await Self.create(sandbox, "{}")["upload_link"]?.text)
            for header in ["Content-Type: video/mp4", "Content-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==", "x-amz-acl: private"] {
                let refused = try await Self.send("PUT", bare, file: file, headers: [header])
                #expect(refused.status == 403, "\(header)")
                #expect(refused.body.contains("<Code>SignatureDoesNotMatch</Code>"), "\(header): \(refused.body)")
            }
            let tampered = bare.replacingOccurrences(of: "X-Amz-Expires=", with: "X-Amz-Expires=9")
            #expect(try await Self.send("PUT", tampered, file: file).status == 403)

            let typed = try #require(
                try await Self.create(sandbox, #"{"upload":{"method":"direct","mime_type":"audio/wav"}}"#)[
                    "upload_link"]?.text)
            let untyped = try await Self.send("PUT", typed, file: file)
            #expect(untyped.status == 403, "the link signed a Content-Type the PUT must carry")
            let other = try await Self.send("PUT", typed, file: file, headers: ["Content-Type: video/mp4"])
            #expect(other.status == 403)
            let right = try await Self.send("PUT", typed, file: file, headers: ["Content-Type: audio/wav"])
            #expect(right.status == 200, "\(right.body)")
            // The bare link was never spent by the refusals.
            #expect(try await Self.send("PUT", bare, file: file).status == 200)
        }
    }

    // MARK: Multipart upload

    @Test("multipart: a 12 MiB file in parts of 5 MiB, sent out of order (one twice), completed whole")
    func multipartUpload() async throws {
        try await Sandbox.withSandbox(Self.quick) { sandbox in
            let created = try await Self.create(
                sandbox, #"{"upload":{"method":"multipart"},"metadata":{"title":"big"}}"#)
            let id = try #require(created["id"]?.text)
            let uploadID = try #require(created["upload_id"]?.text)
            let token = try #require(created["upload_token"]?.text)
            #expect(created["upload_link"] == APIValue?.none)
            let uploads = "\(sandbox.endpoint)/v2/uploads/\(uploadID)"

            // Noise after the header, so that a part put in the wrong place changes the whole's MD5.
            var bytes = TestMedia.wav(seconds: 12 * 1024 * 1024 / 8000.0)
            var state: UInt32 = 2_463_534_242
            for index in 44..<bytes.count {
                state ^= state << 13
                state ^= state >> 17
                state ^= state << 5
                bytes[index] = UInt8(truncatingIfNeeded: state)
            }
            let whole = try Self.file(bytes)
            let folder = whole.deletingLastPathComponent()
            defer { try? FileManager.default.removeItem(at: folder) }
            let size = 5 * 1024 * 1024
            var parts: [(file: URL, md5: String)] = []
            for (index, start) in stride(from: 0, to: bytes.count, by: size).enumerated() {
                let slice = Array(bytes[start..<min(start + size, bytes.count)])
                let url = folder.appendingPathComponent("part\(index + 1)")
                try Data(slice).write(to: url)
                parts.append((url, Self.md5(slice)))
            }
            #expect(parts.count == 3)

            #expect(try await Self.send("GET", uploads + "/parts", bearer: Self.secret(sandbox)).status == 401)
            let listing = try await Self.send("GET", uploads + "/parts?page=1&page_length=3", bearer: token)
            #expect(listing.status == 200, "\(listing.body)")
            #expect(listing.headers["jw-request-limit"] != nil)
            let listed = try #require(listing.json)
            #expect(listed["total"] == 10_000)
            #expect(listed["page_length"] == 3)
            let entries = try #require(listed["parts"]?.arrayValue)
            #expect(entries.map { $0["id"] } == [1, 2, 3])
            #expect(entries.allSatisfy { $0["etag"] == APIValue?.none })
            let links = try entries.map { try #require($0["upload_link"]?.text) }
            #expect(
                try await Self.send("GET", uploads + "/parts", bearer: token).json?["parts"]?.arrayValue?.count == 10)

            for number in [3, 1, 2, 2] {
                let put = try await Self.send("PUT", links[number - 1], file: parts[number - 1].file)
                #expect(put.status == 200, "part \(number): \(put.body)")
                #expect(put.headers["etag"] == "\"\(parts[number - 1].md5)\"")
            }
            let relisted = try await Self.send("GET", uploads + "/parts/?page_length=3", bearer: token)
            #expect(relisted.json?["parts"]?.arrayValue?.compactMap { $0["etag"]?.text } == parts.map(\.md5))

            let complete = try await Self.send("PUT", uploads + "/complete", bearer: token)
            #expect(complete.status == 202, "\(complete.body)")
            let twice = try await Self.send("PUT", uploads + "/complete", bearer: token, json: "{}")
            #expect(twice.status == 409)
            #expect(twice.errorCode == "conflict")
            #expect(try await Self.send("GET", uploads + "/parts", bearer: token).status == 409)
            let late = try await Self.send("PUT", links[0], file: parts[0].file)
            #expect(late.status == 404)
            #expect(late.body.contains("NoSuchUpload"))

            let media = try await Self.settledStatus(sandbox, id)
            #expect(media["status"] == "ready", "\(media)")
            let md5sum = try await ChildProcess.run(try #require(ChildProcess.which("md5sum")), [whole.path])
            let asset = try await Self.asset(sandbox, id)
            #expect(asset["md5"]?.text == String(md5sum.standardOutput.prefix(32)))
            #expect(asset["size"]?.integer == Int64(bytes.count))
            #expect(asset["part_puts"] == 4)
            #expect(asset["uploads"] == 1)
            let files = try FileManager.default.contentsOfDirectory(atPath: sandbox.dataDirectory.path)
            #expect(files.count == 1, "the parts are removed once assembled: \(files)")
        }
    }

    @Test("complete is refused while a part is missing, and while a middle part is under 5 MiB")
    func completeRefused() async throws {
        try await Sandbox.withSandbox(Self.quick) { sandbox in
            let created = try await Self.create(sandbox, #"{"upload":{"method":"multipart"}}"#)
            let uploads = "\(sandbox.endpoint)/v2/uploads/\(try #require(created["upload_id"]?.text))"
            let token = try #require(created["upload_token"]?.text)
            let links = try #require(
                try await Self.send("GET", uploads + "/parts?page_length=3", bearer: token).json?["parts"]?.arrayValue
            ).compactMap { $0["upload_link"]?.text }
            let big = try Self.file([UInt8](repeating: 1, count: 5 * 1024 * 1024), named: "big")
            let small = big.deletingLastPathComponent().appendingPathComponent("small")
            try Data([UInt8](repeating: 2, count: 1024)).write(to: small)
            defer { try? FileManager.default.removeItem(at: big.deletingLastPathComponent()) }

            let none = try await Self.send("PUT", uploads + "/complete", bearer: token)
            #expect(none.status == 400)
            #expect(none.errorCode == "parts_missing")
            #expect(try await Self.send("PUT", links[0], file: big).status == 200)
            #expect(try await Self.send("PUT", links[2], file: small).status == 200)
            let missing = try await Self.send("PUT", uploads + "/complete", bearer: token)
            #expect(missing.status == 400)
            #expect(missing.errorCode == "parts_missing")
            #expect(missing.errorDescription.contains("part 2 is missing"), "\(missing.errorDescription)")
            #expect(try await Self.send("PUT", links[1], file: small).status == 200)
            let tooSmall = try await Self.send("PUT", uploads + "/complete", bearer: token)
            #expect(tooSmall.status == 400)
            #expect(tooSmall.errorCode == "part_too_small")
            #expect(tooSmall.errorDescription.contains("part 2 is under 5 MiB"), "\(tooSmall.errorDescription)")
            // Refused completes leave the upload open: part 2 again, whole this time, and it completes.
            #expect(try await Self.send("PUT", links[1], file: big).status == 200)
            #expect(try await Self.send("PUT", uploads + "/complete", bearer: token).status == 202)
        }
    }

    // MARK: Authentication, errors, listing

    @Test("Bearer: missing or wrong is 401, another site is 404, errors are {errors:[{code,description}]}")
    func authentication() async throws {
        try await Sandbox.withSandbox(Self.quick) { sandbox in
            let missing = try await Self.send("GET", Self.mediaURL(sandbox))
            #expect(missing.status == 401)
            #expect(missing.errorCode == "unauthorized")
            #expect(!missing.errorDescription.isEmpty)
            let wrong = try await Self.send("GET", Self.mediaURL(sandbox), bearer: "not-the-secret")
            #expect(wrong.status == 401)
            #expect(wrong.errorCode == "unauthorized")
            #expect(wrong.headers["jw-request-remaining"] != nil)
            let basic = try await Self.send(
                "GET", Self.mediaURL(sandbox), headers: ["Authorization: \(Self.secret(sandbox))"])
            #expect(basic.status == 401, "the secret without Bearer")
            let otherSite = try await Self.send(
                "GET", "\(sandbox.endpoint)/v2/sites/zzzz9999/media/", bearer: Self.secret(sandbox))
            #expect(otherSite.status == 404)
            #expect(otherSite.errorCode == "not_found")
            let noSlash = try await Self.send("GET", Self.mediaURL(sandbox, slash: false), bearer: Self.secret(sandbox))
            #expect(noSlash.status == 200, "\(noSlash.body)")
            let unknown = try await Self.send("GET", Self.mediaURL(sandbox, "abcd1234"), bearer: Self.secret(sandbox))
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "not_found")
            let method = try await Self.send("PUT", Self.mediaURL(sandbox), bearer: Self.secret(sandbox), json: "{}")
            #expect(method.status == 405)
            #expect(method.errorCode == "method_not_allowed")
        }
    }

    /// Bodies a create refuses, with the field the error names first.
    static let invalidBodies: [(body: String, field: String)] = [
        ("not json", ""), (#"{"metadata":{"title":5}}"#, "metadata.title"),
        (#"{"metadata":{"tags":"a,b"}}"#, "metadata.tags"),
        (#"{"metadata":{"custom_params":{"genre":1}}}"#, "metadata.custom_params.genre"),
        (#"{"metadata":{"publish_start_date":"yesterday"}}"#, "metadata.publish_start_date"),
        (#"{"metadata:":{"title":"typo"}}"#, "metadata:"), (#"{"upload":{"method":"ftp"}}"#, "upload.method"),
        (#"{"upload":{"method":"fetch","download_url":"http://example.com/a.mp4"}}"#, "upload.download_url"),
        (#"{"upload":{"download_url":"http://127.0.0.1:1/a.mp4"}}"#, "upload.download_url"), ("[]", ""),
    ]

    @Test("a body that is not JSON, or has a field of the wrong type or unknown, is 400 invalid_body naming it")
    func invalidBodies() async throws {
        // One sandbox for every case: starting and stopping one costs about a second.
        try await Sandbox.withSandbox(Self.quick) { sandbox in
            for (body, field) in Self.invalidBodies {
                let reply = try await Self.send(
                    "POST", Self.mediaURL(sandbox), bearer: Self.secret(sandbox), json: body)
                #expect(reply.status == 400, "\(body): \(reply.body)")
                #expect(reply.errorCode == "invalid_body", "\(body)")
                #expect(reply.errorDescription.hasPrefix(field), "\(body): \(reply.errorDescription)")
            }
            let untyped = try await Self.send(
                "POST", Self.mediaURL(sandbox), bearer: Self.secret(sandbox), headers: ["Content-Type: text/plain"])
            #expect(untyped.status == 201, "no body at all is an empty create")
            let form = try await ChildProcess.run(
                try Self.curl,
                ["-s", "-H", "Authorization: Bearer \(Self.secret(sandbox))", "-d", "title=x", Self.mediaURL(sandbox)])
            #expect(form.standardOutput.contains("invalid_body"), "a form body is not JSON")
            #expect(await sandbox.assets().count == 1, "a refused create leaves nothing")
        }
    }

    @Test("list: page, page_length, sort, and q with exact and quoted matches; an unknown q field is 400")
    func listing() async throws {
        try await Sandbox.withSandbox(Self.quick) { sandbox in
            for external in ["a1", "a10", "b 2"] {
                _ = try await Self.create(
                    sandbox, #"{"metadata":{"title":"t \#(external)","external_id":"\#(external)"}}"#)
            }
            func list(_ query: String) async throws -> Reply {
                try await Self.send("GET", Self.mediaURL(sandbox) + "?" + query, bearer: Self.secret(sandbox))
            }
            func ids(_ reply: Reply) -> [String] {
                reply.json?["media"]?.arrayValue?.compactMap { $0["external_id"]?.text } ?? []
            }
            let all = try await list("")
            #expect(all.json?["total"] == 3)
            #expect(all.json?["page"] == 1)
            #expect(all.json?["page_length"] == 10)
            #expect(ids(all) == ["b 2", "a10", "a1"], "created:dsc by default")
            #expect(ids(try await list("sort=created:asc&page=2&page_length=2")) == ["b 2"])
            #expect(ids(try await list("q=external_id%3A%20a1")) == ["a1"])
            #expect(ids(try await list("q=external_id%3A%20%22b%202%22")) == ["b 2"])
            #expect(ids(try await list("q=title%3A%20%22t%20a*%22&sort=created:asc")) == ["a1", "a10"])
            #expect(ids(try await list("q=status%3A%20created%20external_id%3A%20a10")) == ["a10"])
            let unknownField = try await list("q=genre%3A%20x")
            #expect(unknownField.status == 400)
            #expect(unknownField.errorDescription.contains("genre"))
            #expect(try await list("page_length=10001").status == 400)
            #expect(try await list("page=0").status == 400)
            #expect(try await list("sort=title:asc").status == 400)
            #expect(try await list("pagelength=5").status == 400, "an unknown parameter is refused")
        }
    }

    @Test(
        "PATCH merges metadata, reupload gives a new link and keeps the old file until the new one arrives, DELETE is 204"
    )
    func updateReuploadDelete() async throws {
        try await Sandbox.withSandbox(Self.quick) { sandbox in
            let created = try await Self.create(
                sandbox, #"{"metadata":{"title":"one","author":"me","custom_params":{"k":"v"}}}"#)
            let id = try #require(created["id"]?.text)
            let file = try Self.file(TestMedia.wav(seconds: 2.5))
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            #expect(try await Self.send("PUT", try #require(created["upload_link"]?.text), file: file).status == 200)
            #expect(try await Self.settledStatus(sandbox, id)["status"] == "ready")

            let patched = try await Self.send(
                "PATCH", Self.mediaURL(sandbox, id), bearer: Self.secret(sandbox),
                json: #"{"metadata":{"title":"two","publish_start_date":"2020-02-20T08:58:26+00:00"}}"#)
            #expect(patched.status == 200, "\(patched.body)")
            #expect(patched.json?["metadata"]?["title"] == "two")
            #expect(patched.json?["metadata"]?["author"] == "me")
            #expect(patched.json?["metadata"]?["custom_params"]?["k"] == "v")
            #expect(patched.json?["metadata"]?["publish_start_date"] == "2020-02-20T08:58:26+00:00")

            let reupload = try await Self.send(
                "PUT", Self.mediaURL(sandbox, id) + "reupload/", bearer: Self.secret(sandbox),
                json: #"{"upload":{"method":"direct"}}"#)
            #expect(reupload.status == 200, "\(reupload.body)")
            #expect(reupload.json?["status"] == "ready", "the old file stands until the new one arrives")
            let second = try Self.file(TestMedia.wav(seconds: 3))
            defer { try? FileManager.default.removeItem(at: second.deletingLastPathComponent()) }
            let put = try await Self.send("PUT", try #require(reupload.json?["upload_link"]?.text), file: second)
            #expect(put.status == 200)
            let after = try await Self.asset(sandbox, id)
            #expect(after["uploads"] == 2)
            #expect(after["md5"]?.text == Self.md5(TestMedia.wav(seconds: 3)))
            #expect(try await Self.settledStatus(sandbox, id)["duration"]?.text == "3.0")

            let deleted = try await Self.send("DELETE", Self.mediaURL(sandbox, id), bearer: Self.secret(sandbox))
            #expect(deleted.status == 204)
            #expect(deleted.body.isEmpty)
            #expect(try await Self.send("GET", Self.mediaURL(sandbox, id), bearer: Self.secret(sandbox)).status == 404)
        }
    }

    @Test(
        "q: exact and quoted values, * as a wildcard, backslash escapes; a bare word or an open quote is refused",
        arguments: [
            (#"external_id: a1"#, "a1", true), (#"external_id: a1"#, "a10", false),
            (#"external_id:"b 2""#, "b 2", true), (#"external_id: a*"#, "a10", true),
            (#"external_id: *1*"#, "x1y", true), (#"external_id: "a\*""#, "a*", true),
            (#"external_id: "a\*""#, "ab", false),
        ])
    func queryGrammar(query: String, externalID: String, matches: Bool) throws {
        let parsed = try V2MediaQuery(query)
        #expect(parsed.matches { $0 == "external_id" ? externalID : nil } == matches)
    }

    @Test("q refuses what it cannot read", arguments: ["cats", "genre: x", #"title: "open"#, "title:", #"title: a\b"#])
    func queryRefused(query: String) {
        #expect(throws: V2Error.self) { try V2MediaQuery(query) }
    }

    @Test("an upload link expires with the token lifetime; reupload also answers POST; a wrong upload token is 401")
    func expiryAndTokens() async throws {
        var configuration = Self.quick
        configuration.tokenLifetime = 3600
        try await Sandbox.withSandbox(configuration) { sandbox in
            let created = try await Self.create(sandbox, "{}")
            let id = try #require(created["id"]?.text)
            let file = try Self.file(TestMedia.wav(seconds: 2.5))
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            configuration.clock.advance(by: 3601)
            let expired = try await Self.send("PUT", try #require(created["upload_link"]?.text), file: file)
            #expect(expired.status == 403)
            #expect(expired.body.contains("Request has expired"))
            let again = try await Self.send(
                "POST", Self.mediaURL(sandbox, id, slash: false) + "/reupload", bearer: Self.secret(sandbox),
                json: #"{"upload":{"method":"multipart"}}"#)
            #expect(again.status == 200, "\(again.body)")
            let uploads = "\(sandbox.endpoint)/v2/uploads/\(try #require(again.json?["upload_id"]?.text))"
            let wrong = try await Self.send("PUT", uploads + "/complete/", bearer: "nope")
            #expect(wrong.status == 401)
            #expect(wrong.errorCode == "unauthorized")
            #expect(
                try await Self.send("GET", "\(sandbox.endpoint)/v2/uploads/nosuchupload/parts", bearer: "x").status
                    == 404)
        }
    }

    // MARK: Rate limits and faults

    @Test("429 with Retry-After and rate_limit_exceeded once a route's window is used up; /_sandbox/calls tallies it")
    func rateLimit() async throws {
        var configuration = Self.quick
        // An hour's window, so that the test does not straddle two windows.
        configuration.rateLimits = RateLimitSettings(perMinute: 2, listPerMinute: 2, window: .seconds(3600))
        try await Sandbox.withSandbox(configuration) { sandbox in
            var replies: [Reply] = []
            for _ in 0..<3 {
                replies.append(try await Self.send("GET", Self.mediaURL(sandbox), bearer: Self.secret(sandbox)))
            }
            #expect(replies.map(\.status) == [200, 200, 429])
            #expect(replies.map { $0.headers["jw-request-remaining"] } == ["1", "0", "0"])
            #expect(replies[0].headers["jw-request-limit"] == "2")
            let retryAfter = try #require(replies[2].headers["retry-after"].flatMap { Int($0) })
            #expect((1...3600).contains(retryAfter))
            #expect(replies[2].errorCode == "rate_limit_exceeded")
            // Another route has its own window.
            #expect(
                try await Self.send("POST", Self.mediaURL(sandbox), bearer: Self.secret(sandbox), json: "{}").status
                    == 201)
            let calls = try await ChildProcess.run(try Self.curl, ["-s", sandbox.endpoint + "/_sandbox/calls"])
            let tallies = try JSONAnswerFormat().decode(Array(calls.standardOutput.utf8))
            #expect(tallies["GET /v2/sites/{site_id}/media/"]?["answered"] == 2)
            #expect(tallies["GET /v2/sites/{site_id}/media/"]?["rateLimited"] == 1)
            #expect(tallies["POST /v2/sites/{site_id}/media/"]?["answered"] == 1)
        }
    }

    @Test("faults: a 503 on a v2 route by path, a wrong ETag on PUTs (true bytes stored), a dropped PUT")
    func faults() async throws {
        var configuration = Self.quick
        configuration.faults = try FaultPlan(spec: "503@/v2/uploads/{id}/complete,md5=50%@s3,drop=50%@s3", seed: 7)
        try await Sandbox.withSandbox(configuration) { sandbox in
            let created = try await Self.create(sandbox, #"{"upload":{"method":"multipart"}}"#)
            let uploads = "\(sandbox.endpoint)/v2/uploads/\(try #require(created["upload_id"]?.text))"
            let token = try #require(created["upload_token"]?.text)
            let link = try #require(
                try await Self.send("GET", uploads + "/parts?page_length=1", bearer: token).json?["parts"]?
                    .arrayValue?.first?["upload_link"]?.text)
            let bytes = TestMedia.wav(seconds: 2.5)
            let file = try Self.file(bytes)
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            var wrong = 0
            var dropped = 0
            for _ in 0..<8 {
                let put = try await Self.send("PUT", link, file: file)
                if put.status == 0 { dropped += 1 }
                if put.status == 200, put.headers["etag"] != "\"\(Self.md5(bytes))\"" { wrong += 1 }
            }
            #expect(wrong > 0)
            #expect(dropped > 0)
            let stored = try #require(
                try await Self.send("GET", uploads + "/parts?page_length=1", bearer: token).json?["parts"]?
                    .arrayValue?.first)
            #expect(stored["etag"]?.text == Self.md5(bytes), "the true MD5 is stored")
            let complete = try await Self.send("PUT", uploads + "/complete", bearer: token)
            #expect(complete.status == 503)
            #expect(complete.errorCode == "service_unavailable")
        }
    }

    // MARK: The command

    @Test("jwingest sandbox prints JW_SITE_ID and JW_V2_API_SECRET and serves them")
    func command() async throws {
        let folder = try TestMedia.temporaryFolder("jwsandbox-v2-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let outputHandle = try FileHandle(forWritingTo: output)
        let process = try ChildProcess.start(
            ChildProcess.jwingest, ["sandbox", "--port", "0", "--site-id", "site1234"],
            standardOutput: outputHandle.fileDescriptor)
        try outputHandle.close()
        defer { if process.isRunning { process.signal(SIGKILL) } }
        var banner = ""
        for _ in 0..<100 where !banner.contains("--endpoint") {
            try await Task.sleep(for: .milliseconds(50))
            banner = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        }
        func value(_ name: String) -> String? {
            banner.split(separator: "\n").first { $0.contains("  \(name)=") }.map {
                String($0.split(separator: "=")[1])
            }
        }
        #expect(value("JW_SITE_ID") == "site1234")
        let secret = try #require(value("JW_V2_API_SECRET"))
        #expect(value("JW_API_KEY") == "sandbox1")
        let endpoint = try #require(banner.split(separator: "\n").first { $0.contains("--endpoint") })
            .split(separator: " ").last.map(String.init)
        let reply = try await Self.send(
            "GET", "\(endpoint ?? "")/v2/sites/site1234/media/", bearer: secret)
        #expect(reply.status == 200, "\(banner)")
        process.terminate()
        for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(process.terminationStatus == 0)
    }
}
