import Crypto
import Foundation
import JWTestSupport
import Testing

@testable import JWPlatform
@testable import JWSandbox

/// The sandbox's v2 thumbnails and text tracks: created through ``V2Client``, their files sent to their
/// presigned links with ``V2Client/put(_:to:progress:)`` (AsyncHTTPClient) or curl, posters, formats,
/// limits, the cascade of a media's delete, and what v2 routes share (Bearer, rate windows, faults).
@Suite("sandbox: v2 thumbnails and text tracks")
struct SandboxV2CompanionTests {
    typealias Raw = SandboxV2Tests

    static func client(_ sandbox: Sandbox) -> V2Client {
        V2Client(
            credentials: sandbox.v2Credentials,
            configuration: APIClientConfiguration(endpoint: sandbox.endpoint, retry: .none))
    }

    /// A configuration with rate windows wide enough for the 51 creates of the track limit.
    static var roomy: SandboxConfiguration {
        var configuration = SandboxV2Tests.quick
        configuration.rateLimits = RateLimitSettings(perMinute: 1000, listPerMinute: 1000)
        return configuration
    }

    /// A JPEG's first bytes, then noise: enough for the sandbox, which reads signatures only.
    static func jpeg(seed: UInt8) -> [UInt8] {
        [0xFF, 0xD8, 0xFF, 0xE0] + (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 31) ^ seed }
    }

    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 500)

    static let vtt = Array("\u{FEFF}WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello\n".utf8)

    static let srt = Array(
        "1\r\n00:00:00,000 --> 00:00:01,500\r\nHello\r\n\r\n2\r\n00:00:02,000 --> 00:00:03,000\r\nBye\r\n".utf8)

    static func thumbnailsPath(_ id: String? = nil) -> String {
        "/v2/sites/{site_id}/thumbnails/" + (id.map { "\($0)/" } ?? "")
    }

    static func tracksPath(_ mediaID: String, _ id: String? = nil) -> String {
        "/v2/sites/{site_id}/media/\(mediaID)/text_tracks/" + (id.map { "\($0)/" } ?? "")
    }

    /// A new media (no file); returns its id.
    static func media(_ client: V2Client) async throws -> String {
        let created = try await client.call(.post, "/v2/sites/{site_id}/media/", body: ["metadata": ["title": "m"]])
        return try #require(created.value["id"]?.text)
    }

    /// A new thumbnail of `mediaID`; returns its object.
    static func thumbnail(_ client: V2Client, of mediaID: String) async throws -> APIValue {
        let body: APIValue = ["relationships": ["media": [["id": .string(mediaID)]]], "upload": ["method": "direct"]]
        let created = try await client.call(.post, thumbnailsPath(), body: body)
        #expect(created.httpStatus == 201)
        return created.value
    }

    /// A new text track of `mediaID` of `format`; returns its object.
    static func track(
        _ client: V2Client, of mediaID: String, format: String = "vtt", kind: String = "captions",
        label: String = "English", language: String = "en"
    ) async throws -> APIValue {
        let body: APIValue = [
            "metadata": ["label": .string(label), "srclang": .string(language), "track_kind": .string(kind)],
            "upload": ["method": "direct", "file_format": .string(format)],
        ]
        let created = try await client.call(.post, tracksPath(mediaID), body: body)
        #expect(created.httpStatus == 201)
        return created.value
    }

    /// PUTs `bytes` to the object's `upload_link` with the v2 client; returns the `ETag` it read.
    static func put(_ bytes: [UInt8], to object: APIValue, _ client: V2Client) async throws -> FilePutResult {
        let file = try Raw.file(bytes, named: "companion")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        return try await client.put(
            .whole(file, size: Int64(bytes.count)), to: try #require(object["upload_link"]?.text))
    }

    static func md5(_ bytes: [UInt8]) -> String { SandboxV2Tests.md5(bytes) }

    // MARK: Thumbnails

    @Test("thumbnail: create, 409 as a poster before its image, PUT (ETag and stored MD5), poster moves between two")
    func thumbnailPoster() async throws {
        try await Sandbox.withSandbox(Self.roomy) { sandbox in
            let client = Self.client(sandbox)
            let mediaID = try await Self.media(client)
            let first = try await Self.thumbnail(client, of: mediaID)
            let firstID = try #require(first["id"]?.text)
            #expect(firstID.count == 8)
            #expect(first["type"] == "thumbnail")
            #expect(first["status"] == "created")
            #expect(first["delivery_url"] == .null)
            #expect(first["created"]?.text?.hasSuffix("+00:00") == true)
            #expect(first["last_modified"] != nil)
            #expect(first["relationships"]?["media"] == [["id": .string(mediaID), "is_poster": false]])
            #expect(first["upload_link"]?.text?.hasPrefix("\(sandbox.endpoint)/s3/v2/direct/") == true)

            let early = try await Raw.send(
                "PATCH", sandbox.endpoint + "/v2/sites/\(sandbox.v2Credentials.siteID)/thumbnails/\(firstID)/",
                bearer: Raw.secret(sandbox), json: #"{"relationships":{"media":[{"is_poster":true}]}}"#)
            #expect(early.status == 409)
            #expect(early.errorCode == "conflict")
            #expect(early.errorDescription.contains("the thumbnail has no image yet"), "\(early.errorDescription)")

            let image = Self.jpeg(seed: 1)
            let put = try await Self.put(image, to: first, client)
            #expect(put.matches && put.etag == Self.md5(image))
            let ready = try await client.call(.get, Self.thumbnailsPath(firstID)).value
            #expect(ready["status"] == "ready")
            let stored = try await Raw.asset(sandbox, firstID)
            #expect(stored["kind"] == "thumbnail")
            #expect(stored["videoKey"]?.text == mediaID)
            #expect(stored["md5"]?.text == Self.md5(image))
            #expect(stored["size"]?.integer == Int64(image.count))
            #expect(stored["poster"] == false)
            let media = try await Raw.asset(sandbox, mediaID)
            #expect(media["md5"] == APIValue?.none, "the image is not the media's file")
            #expect(media["uploads"] == 0)

            let posterBody: APIValue = ["relationships": ["media": [["is_poster": true]]]]
            let made = try await client.call(.patch, Self.thumbnailsPath(firstID), body: posterBody)
            #expect(made.value["relationships"]?["media"]?.arrayValue?.first?["is_poster"] == true)
            #expect(try await Raw.asset(sandbox, firstID)["poster"] == true)

            let second = try await Self.thumbnail(client, of: mediaID)
            let secondID = try #require(second["id"]?.text)
            #expect(try await Self.put(Self.png, to: second, client).matches)
            let withID: APIValue = ["relationships": ["media": [["id": .string(mediaID), "is_poster": true]]]]
            _ = try await client.call(.patch, Self.thumbnailsPath(secondID), body: withID)
            let old = try await client.call(.get, Self.thumbnailsPath(firstID)).value
            #expect(old["relationships"]?["media"]?.arrayValue?.first?["is_poster"] == false)
            #expect(try await Raw.asset(sandbox, firstID)["poster"] == false)
            #expect(try await Raw.asset(sandbox, secondID)["poster"] == true)
            #expect(await sandbox.assets().filter(\.poster).map(\.key) == [secondID])

            let file = try Raw.file(image)
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            let spent = try await Raw.send("PUT", try #require(first["upload_link"]?.text), file: file)
            #expect(spent.status == 403, "a thumbnail's link is single use")
        }
    }

    @Test("thumbnails list by media (q media_id, bare or quoted), page and page_length; DELETE is 204")
    func thumbnailList() async throws {
        try await Sandbox.withSandbox(Self.roomy) { sandbox in
            let client = Self.client(sandbox)
            let mediaID = try await Self.media(client)
            let otherID = try await Self.media(client)
            var ids: [String] = []
            for _ in 0..<3 { ids.append(try #require(try await Self.thumbnail(client, of: mediaID)["id"]?.text)) }
            _ = try await Self.thumbnail(client, of: otherID)
            func listed(_ query: [(String, String)]) async throws -> APIValue {
                try await client.call(.get, Self.thumbnailsPath(), query: query).value
            }
            let bare = try await listed([("q", "media_id:\(mediaID)")])
            #expect(bare["total"] == 3)
            #expect(bare["page"] == 1)
            #expect(bare["page_length"] == 10)
            #expect(bare["thumbnails"]?.arrayValue?.compactMap { $0["id"]?.text } == ids.reversed())
            let quoted = try await listed([("q", "media_id: \"\(mediaID)\""), ("page", "2"), ("page_length", "2")])
            #expect(quoted["total"] == 3)
            #expect(quoted["thumbnails"]?.arrayValue?.compactMap { $0["id"]?.text } == [ids[0]])
            #expect(try await listed([])["total"] == 4)
            let unknown = try await Raw.send(
                "GET", sandbox.endpoint + "/v2/sites/\(sandbox.v2Credentials.siteID)/thumbnails/?q=title%3Ax",
                bearer: Raw.secret(sandbox))
            #expect(unknown.status == 400)
            #expect(unknown.errorCode == "invalid_query_parameter")

            let deleted = try await client.call(.delete, Self.thumbnailsPath(ids[1]))
            #expect(deleted.httpStatus == 204)
            let gone = await #expect(throws: APIError.self) {
                try await client.call(.get, Self.thumbnailsPath(ids[1]))
            }
            #expect(gone?.httpStatus == 404)
            #expect(gone?.code.rawValue == "not_found")
            #expect(try await listed([("q", "media_id:\(mediaID)")])["total"] == 2)
        }
    }

    /// Thumbnail creates the sandbox refuses, with the field the error names first.
    static let invalidThumbnails: [(body: String, field: String)] = [
        ("{}", "relationships"), (#"{"relationships":{}}"#, "relationships.media"),
        (#"{"relationships":{"media":{"id":"x"}}}"#, "relationships.media"),
        (#"{"relationships":{"media":[]}}"#, "relationships.media"),
        (#"{"relationships":{"media":[{"id":5}]}}"#, "relationships.media[0].id"),
        (#"{"relationships":{"media":[{}]}}"#, "relationships.media[0].id"),
        (#"{"relationships":{"media":[{"id":"MEDIA"}]},"upload":{"method":"multipart"}}"#, "upload.method"),
        (#"{"relationships":{"media":[{"id":"MEDIA"}]},"upload":"direct"}"#, "upload"),
    ]

    @Test("thumbnail refusals: 400 invalid_body naming the field, 404 for an unknown media; a non-image fails")
    func thumbnailRefusals() async throws {
        try await Sandbox.withSandbox(Self.roomy) { sandbox in
            let client = Self.client(sandbox)
            let mediaID = try await Self.media(client)
            let url = sandbox.endpoint + "/v2/sites/\(sandbox.v2Credentials.siteID)/thumbnails/"
            for (body, field) in Self.invalidThumbnails {
                let reply = try await Raw.send(
                    "POST", url, bearer: Raw.secret(sandbox),
                    json: body.replacingOccurrences(of: "MEDIA", with: mediaID))
                #expect(reply.status == 400, "\(body): \(reply.body)")
                #expect(reply.errorCode == "invalid_body", "\(body)")
                #expect(reply.errorDescription.hasPrefix(field + ":"), "\(body): \(reply.errorDescription)")
            }
            let unknown = try await Raw.send(
                "POST", url, bearer: Raw.secret(sandbox), json: #"{"relationships":{"media":[{"id":"nosuchid"}]}}"#)
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "not_found")
            #expect(await sandbox.assets().count == 1, "refused creates leave nothing")

            let typed = try await Raw.send(
                "POST", url, bearer: Raw.secret(sandbox),
                json: #"{"relationships":{"media":[{"id":"\#(mediaID)"}]},"upload":{"method":"direct"},"#
                    + #""thumbnail_type":"static","source_type":"custom_upload"}"#)
            #expect(typed.status == 201, "\(typed.body)")
            let text = try await Self.put(Array("not an image".utf8), to: try #require(typed.json), client)
            #expect(text.matches, "the bytes are stored whatever they are")
            let id = try #require(typed.json?["id"]?.text)
            let failed = try await client.call(.get, Self.thumbnailsPath(id)).value
            #expect(failed["status"] == "failed")
            #expect(failed["error_message"]?.text?.contains("not a JPEG, PNG, WebP or GIF") == true, "\(failed)")
            let refused = await #expect(throws: APIError.self) {
                try await client.call(
                    .patch, Self.thumbnailsPath(id), body: ["relationships": ["media": [["is_poster": true]]]])
            }
            #expect(refused?.httpStatus == 409)
            let otherMedia = await #expect(throws: APIError.self) {
                try await client.call(
                    .patch, Self.thumbnailsPath(id),
                    body: ["relationships": ["media": [["id": "someoneelse", "is_poster": true]]]])
            }
            #expect(otherMedia?.httpStatus == 400)
        }
    }

    // MARK: Text tracks

    @Test("text tracks: a vtt (with a BOM) and an srt (CRLF) become ready; listed, shown, patched, deleted")
    func textTracks() async throws {
        try await Sandbox.withSandbox(Self.roomy) { sandbox in
            let client = Self.client(sandbox)
            let mediaID = try await Self.media(client)
            let captions = try await Self.track(client, of: mediaID)
            let captionsID = try #require(captions["id"]?.text)
            #expect(captionsID.count == 8)
            #expect(captions["type"] == "text_track")
            #expect(captions["status"] == "created")
            #expect(captions["delivery_url"] == .null)
            #expect(captions["metadata"] == ["label": "English", "srclang": "en", "track_kind": "captions"])
            let subtitles = try await Self.track(
                client, of: mediaID, format: "srt", kind: "subtitles", label: "Deutsch", language: "de")
            let subtitlesID = try #require(subtitles["id"]?.text)

            let vttPut = try await Self.put(Self.vtt, to: captions, client)
            #expect(vttPut.matches && vttPut.etag == Self.md5(Self.vtt))
            #expect(try await Self.put(Self.srt, to: subtitles, client).matches)
            #expect(try await client.call(.get, Self.tracksPath(mediaID, captionsID)).value["status"] == "ready")
            #expect(try await client.call(.get, Self.tracksPath(mediaID, subtitlesID)).value["status"] == "ready")

            let stored = try await Raw.asset(sandbox, subtitlesID)
            #expect(stored["kind"] == "track")
            #expect(stored["videoKey"]?.text == mediaID)
            #expect(stored["trackKind"] == "subtitles")
            #expect(stored["label"] == "Deutsch")
            #expect(stored["language"] == "de")
            #expect(stored["md5"]?.text == Self.md5(Self.srt))
            #expect(stored["size"]?.integer == Int64(Self.srt.count))

            let listed = try await client.call(.get, Self.tracksPath(mediaID), query: [("sort", "created:asc")]).value
            #expect(listed["total"] == 2)
            #expect(listed["page_length"] == 10)
            #expect(listed["text_tracks"]?.arrayValue?.compactMap { $0["id"]?.text } == [captionsID, subtitlesID])

            let patched = try await client.call(
                .patch, Self.tracksPath(mediaID, captionsID), body: ["metadata": ["label": "English (CC)"]])
            #expect(patched.value["metadata"]?["label"] == "English (CC)")
            #expect(patched.value["metadata"]?["srclang"] == "en")
            #expect(try await Raw.asset(sandbox, captionsID)["label"] == "English (CC)")

            let wrongMedia = await #expect(throws: APIError.self) {
                try await client.call(.get, Self.tracksPath(try await Self.media(client), captionsID))
            }
            #expect(wrongMedia?.httpStatus == 404, "a track is found under its own media only")
            #expect(try await client.call(.delete, Self.tracksPath(mediaID, captionsID)).httpStatus == 204)
            #expect(try await client.call(.get, Self.tracksPath(mediaID)).value["total"] == 1)
        }
    }

    @Test(
        "a text track whose file is not its declared format is failed with an error_message",
        arguments: [
            ("vtt", "1\n00:00:00,000 --> 00:00:01,000\nHi\n", "WEBVTT"), ("vtt", "WEBVTTX\n", "WEBVTT"),
            ("srt", "WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n", "numbered 1"), ("srt", "1\nHello\n", "-->"),
        ])
    func brokenTrack(format: String, content: String, message: String) async throws {
        try await Sandbox.withSandbox(Self.roomy) { sandbox in
            let client = Self.client(sandbox)
            let mediaID = try await Self.media(client)
            let track = try await Self.track(client, of: mediaID, format: format)
            #expect(try await Self.put(Array(content.utf8), to: track, client).matches)
            let shown = try await client.call(.get, Self.tracksPath(mediaID, try #require(track["id"]?.text))).value
            #expect(shown["status"] == "failed")
            #expect(shown["error_message"]?.text?.contains(message) == true, "\(shown)")
        }
    }

    @Test("text track refusals: track_kind missing, file_format not vtt or srt, unknown media; at most 50 a media")
    func textTrackRefusals() async throws {
        try await Sandbox.withSandbox(Self.roomy) { sandbox in
            let client = Self.client(sandbox)
            let mediaID = try await Self.media(client)
            let url = sandbox.endpoint + "/v2/sites/\(sandbox.v2Credentials.siteID)/media/\(mediaID)/text_tracks/"
            let cases: [(String, String)] = [
                (#"{"metadata":{"label":"x"},"upload":{"file_format":"vtt"}}"#, "metadata.track_kind"),
                (#"{"metadata":{"track_kind":"captions"},"upload":{"file_format":"ttml"}}"#, "upload.file_format"),
                (#"{"metadata":{"track_kind":"captions"}}"#, "upload.file_format"),
                (#"{"metadata":{"track_kind":"karaoke"},"upload":{"file_format":"vtt"}}"#, "metadata.track_kind"),
                (
                    #"{"metadata":{"track_kind":"captions","srclang":"en us"},"upload":{"file_format":"vtt"}}"#,
                    "metadata.srclang"
                ),
            ]
            for (body, field) in cases {
                let reply = try await Raw.send("POST", url, bearer: Raw.secret(sandbox), json: body)
                #expect(reply.status == 400, "\(body): \(reply.body)")
                #expect(reply.errorCode == "invalid_body")
                #expect(reply.errorDescription.hasPrefix(field + ":"), "\(body): \(reply.errorDescription)")
            }
            let unknown = await #expect(throws: APIError.self) { try await Self.track(client, of: "nosuchid") }
            #expect(unknown?.httpStatus == 404)
            #expect(unknown?.code.rawValue == "not_found")

            for index in 0..<50 {
                _ = try await Self.track(client, of: mediaID, kind: V2TextTrackCalls.kinds[index % 5])
            }
            let over = try await Raw.send(
                "POST", url, bearer: Raw.secret(sandbox),
                json: #"{"metadata":{"track_kind":"captions"},"upload":{"method":"direct","file_format":"vtt"}}"#)
            #expect(over.status == 400)
            #expect(over.errorCode == "too_many_text_tracks")
            #expect(try await client.call(.get, Self.tracksPath(mediaID)).value["total"] == 50)
        }
    }

    // MARK: What the routes share with the media's

    @Test("deleting a media deletes its thumbnails and text tracks, their files and their links")
    func deleteCascade() async throws {
        try await Sandbox.withSandbox(Self.roomy) { sandbox in
            let client = Self.client(sandbox)
            let mediaID = try await Self.media(client)
            let keptID = try await Self.media(client)
            let thumbnail = try await Self.thumbnail(client, of: mediaID)
            let track = try await Self.track(client, of: mediaID)
            let pending = try await Self.track(client, of: mediaID, format: "srt")
            let kept = try await Self.thumbnail(client, of: keptID)
            #expect(try await Self.put(Self.jpeg(seed: 2), to: thumbnail, client).matches)
            #expect(try await Self.put(Self.vtt, to: track, client).matches)
            #expect(try await Self.put(Self.png, to: kept, client).matches)
            #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.dataDirectory.path).count == 3)

            #expect(try await client.call(.delete, "/v2/sites/{site_id}/media/\(mediaID)/").httpStatus == 204)
            #expect(await sandbox.assets().map(\.key).sorted() == [keptID, try #require(kept["id"]?.text)].sorted())
            #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.dataDirectory.path).count == 1)
            let gone = await #expect(throws: APIError.self) {
                try await client.call(.get, Self.thumbnailsPath(try #require(thumbnail["id"]?.text)))
            }
            #expect(gone?.httpStatus == 404)
            let file = try Raw.file(Self.srt)
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            let late = try await Raw.send("PUT", try #require(pending["upload_link"]?.text), file: file)
            #expect(late.status == 403, "the links of deleted tracks are spent: \(late.body)")
        }
    }

    @Test("Bearer, a wrong link signature (403, link not spent), 405 with Allow, rate headers and tallies by route")
    func sharedRouteBehaviour() async throws {
        var configuration = SandboxV2Tests.quick
        configuration.rateLimits = RateLimitSettings(perMinute: 3, listPerMinute: 3, window: .seconds(3600))
        try await Sandbox.withSandbox(configuration) { sandbox in
            let client = Self.client(sandbox)
            let mediaID = try await Self.media(client)
            let site = "\(sandbox.endpoint)/v2/sites/\(sandbox.v2Credentials.siteID)"
            for url in [
                "\(site)/thumbnails/", "\(site)/thumbnails/abcd1234/", "\(site)/media/\(mediaID)/text_tracks/",
                "\(site)/media/\(mediaID)/text_tracks/abcd1234/",
            ] {
                let missing = try await Raw.send("GET", url)
                #expect(missing.status == 401, "\(url)")
                #expect(missing.errorCode == "unauthorized")
                #expect(try await Raw.send("GET", url, bearer: "wrong").status == 401)
            }

            let thumbnail = try await Self.thumbnail(client, of: mediaID)
            let link = try #require(thumbnail["upload_link"]?.text)
            let signature = try #require(link.range(of: "X-Amz-Signature=")).upperBound
            let tampered =
                link[..<signature] + (link[signature] == "0" ? "1" : "0") + link[link.index(after: signature)...]
            let file = try Raw.file(Self.jpeg(seed: 3))
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            let forged = try await Raw.send("PUT", String(tampered), file: file)
            #expect(forged.status == 403)
            #expect(forged.body.contains("<Code>SignatureDoesNotMatch</Code>"))
            let typed = try await Raw.send("PUT", link, file: file, headers: ["Content-Type: image/jpeg"])
            #expect(typed.status == 403, "the link signed no Content-Type")
            #expect(try await Raw.send("PUT", link, file: file).status == 200, "the refusals did not spend the link")

            let wrongMethod = try await Raw.send("PUT", "\(site)/thumbnails/", bearer: Raw.secret(sandbox), json: "{}")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.errorCode == "method_not_allowed")
            #expect(wrongMethod.headers["allow"] == "GET, POST")
            let trackMethod = try await Raw.send(
                "POST", "\(site)/media/\(mediaID)/text_tracks/x/", bearer: Raw.secret(sandbox))
            #expect(trackMethod.headers["allow"] == "GET, PATCH, DELETE")

            let created = try await client.call(
                .post, Self.tracksPath(mediaID),
                body: ["metadata": ["track_kind": "chapters"], "upload": ["file_format": "vtt"]])
            #expect(created.rateLimit?.limit == 3)
            #expect(created.rateLimit?.remaining == 2)
            var remaining: [String?] = []
            for _ in 0..<3 {
                let reply = try await Raw.send("GET", "\(site)/thumbnails/", bearer: Raw.secret(sandbox))
                remaining.append(reply.headers["jw-request-remaining"])
            }
            #expect(remaining == ["2", "1", "0"])
            let refused = try await Raw.send("GET", "\(site)/thumbnails/", bearer: Raw.secret(sandbox))
            #expect(refused.status == 429)
            #expect(refused.errorCode == "rate_limit_exceeded")
            #expect(refused.headers["retry-after"] != nil)

            let calls = try await ChildProcess.run(try Raw.curl, ["-s", sandbox.endpoint + "/_sandbox/calls"])
            let tallies = try JSONAnswerFormat().decode(Array(calls.standardOutput.utf8))
            #expect(tallies["POST /v2/sites/{site_id}/thumbnails/"]?["answered"] == 1)
            #expect(tallies["GET /v2/sites/{site_id}/thumbnails/"]?["answered"] == 3)
            #expect(tallies["GET /v2/sites/{site_id}/thumbnails/"]?["rateLimited"] == 1)
            #expect(tallies["POST /v2/sites/{site_id}/media/{id}/text_tracks/"]?["answered"] == 1)
            #expect(tallies["PUT /v2/sites/{site_id}/thumbnails/"]?["answered"] == nil, "a 405 is not counted")
        }
    }

    @Test("a fault rule on a thumbnail route answers its calls and no others")
    func faultScope() async throws {
        var configuration = Self.roomy
        configuration.faults = try FaultPlan(spec: "503@/v2/sites/{site_id}/thumbnails", seed: 1, knownPaths: nil)
        try await Sandbox.withSandbox(configuration) { sandbox in
            let client = Self.client(sandbox)
            let mediaID = try await Self.media(client)
            let refused = await #expect(throws: APIError.self) { try await Self.thumbnail(client, of: mediaID) }
            #expect(refused?.httpStatus == 503)
            #expect(refused?.code.rawValue == "service_unavailable")
            #expect(refused?.call == "POST /v2/sites/{site_id}/thumbnails/")
            _ = try await Self.track(client, of: mediaID)
        }
    }

    // MARK: Route names and file checks

    @Test(
        "V2Path names each route as the v2 client's V2Route.name does",
        arguments: [
            ("POST", "/v2/sites/SITE/thumbnails/", "POST /v2/sites/{site_id}/thumbnails/"),
            ("PATCH", "/v2/sites/SITE/thumbnails/ab12CD34/", "PATCH /v2/sites/{site_id}/thumbnails/{id}/"),
            ("POST", "/v2/sites/SITE/media/ab12CD34/text_tracks/", "POST /v2/sites/{site_id}/media/{id}/text_tracks/"),
            (
                "DELETE", "/v2/sites/SITE/media/ab12CD34/text_tracks/zz99yy88/",
                "DELETE /v2/sites/{site_id}/media/{id}/text_tracks/{id}/"
            ),
            ("GET", "/v2/sites/SITE/media/", "GET /v2/sites/{site_id}/media/"),
            ("PUT", "/v2/sites/SITE/media/ab12CD34/reupload/", "PUT /v2/sites/{site_id}/media/{id}/reupload/"),
            ("PUT", "/v2/uploads/u1u2u3/complete", "PUT /v2/uploads/{id}/complete"),
        ])
    func routeNames(method: String, path: String, name: String) throws {
        let resolved = path.replacingOccurrences(of: "SITE", with: "site1234")
        let matched = try #require(V2Path.match(resolved))
        // V2Path.route(_:) is the method, a space and the pattern.
        #expect("\(method) \(matched.pattern)" == name)
        #expect(V2Route.name(method: method, path: resolved, siteID: "site1234") == name)
        #expect(V2Path.faultPaths.contains(String(matched.pattern.dropLast(matched.pattern.hasSuffix("/") ? 1 : 0))))
    }

    @Test(
        "image signatures: JPEG, PNG, GIF and WebP pass; text and an empty file do not",
        arguments: [
            ([0xFF, 0xD8, 0xFF, 0xDB], true), (Array("GIF89a....".utf8), true),
            (Array("RIFF\0\0\0\0WEBPVP8 ".utf8), true), (SandboxV2CompanionTests.png, true),
            (Array("<svg/>".utf8), false), ([], false),
        ] as [([UInt8], Bool)])
    func imageCheck(head: [UInt8], passes: Bool) {
        #expect((V2CompanionCheck.imageFailure(head, size: Int64(head.count)) == nil) == passes)
    }
}
