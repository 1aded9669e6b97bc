import AsyncHTTPClient
import Foundation
import Synchronization
import Testing

@testable import JWPlatform

@Suite("the API client against a real HTTP server on 127.0.0.1")
struct APIClientTests {
    static let formats: [AnswerFormatName] = [.json, .xml, .php, .py]

    static func client(
        _ server: TestAPIServer, format: AnswerFormatName = .json, retry: RetryPolicy = .none
    )
        -> APIClient
    {
        APIClient(
            credentials: TestAPIServer.credentials,
            configuration: APIClientConfiguration(endpoint: server.endpoint, format: format, retry: retry))
    }

    static let rateLimit: APIValue = ["reset": 1_900_000_000, "limit": 60, "remaining": 59]

    static let showAnswer: APIValue = [
        "status": "ok",
        "video": [
            "key": "tL17msiU", "status": "ready", "title": "Démo ☃", "md5": "6d4063f37eed1e847ed17b7be6364546",
            "size": "21545452", "duration": 12.5, "custom": ["ingest_id": "item-1"],
        ],
        "rate_limit": rateLimit,
    ]

    @Test(
        "a signed GET in each format: the server sees a valid signature, the client reads the answer",
        arguments: formats)
    func showInEveryFormat(format: AnswerFormatName) async throws {
        try await TestAPIServer.withServer(answer: { _ in .tree(Self.showAnswer) }) { server in
            let video = try await Self.client(server, format: format).showVideo(key: "tL17msiU")
            #expect(video.key == "tL17msiU")
            #expect(video.status == .ready)
            #expect(video.title == "Démo ☃")
            #expect(video.size == 21_545_452)
            #expect(video.duration == 12.5)
            #expect(video.custom == ["ingest_id": "item-1"])
            let request = try #require(server.requests.first)
            #expect(request.method == "GET")
            #expect(request.path == "/v1/videos/show")
            #expect(request.parameters["video_key"] == "tL17msiU")
            #expect(request.parameters["api_format"] == format.rawValue)
            #expect(request.parameters["api_key"] == TestAPIServer.key)
            #expect(request.signatureValid)
        }
    }

    @Test("create is a signed POST with a form body; its link gives an upload URL that keeps http on loopback")
    func createVideoPost() async throws {
        let answer: APIValue = [
            "status": "ok", "media": ["type": "video", "key": "tL17msiU"],
            "link": [
                "path": "/v1/videos/upload", "query": ["key": "vtQmcboj", "token": "tok123"], "protocol": "http",
                "address": "127.0.0.1:9999",
            ],
            "rate_limit": Self.rateLimit,
        ]
        try await TestAPIServer.withServer(answer: { _ in .tree(answer) }) { server in
            let metadata = VideoMetadata(
                title: "A title & more", tags: ["one", "two words"], date: Date(timeIntervalSince1970: 1_600_000_000),
                custom: [.init(name: "ingest_id", value: "item-1")])
            let created = try await Self.client(server, format: .xml).createVideo(
                metadata, md5: "0123456789abcdef0123456789abcdef", size: 4096, method: .s3)
            #expect(created.media == MediaReference(type: "video", key: "tL17msiU"))
            #expect(created.rateLimit?.remaining == 59)
            let link = try #require(created.link)
            let url = try UploadURLBuilder.formUpload(link: link, format: .json)
            #expect(url.url == "http://127.0.0.1:9999/v1/videos/upload?api_format=json&key=vtQmcboj&token=tok123")

            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.path == "/v1/videos/create")
            #expect(request.contentType == "application/x-www-form-urlencoded")
            #expect(request.signatureValid)
            #expect(request.parameters["title"] == "A title & more")
            #expect(request.parameters["tags"] == "one,two words")
            #expect(request.parameters["date"] == "1600000000")
            #expect(request.parameters["custom.ingest_id"] == "item-1")
            #expect(request.parameters["md5"] == "0123456789abcdef0123456789abcdef")
            #expect(request.parameters["size"] == "4096")
            #expect(request.parameters["upload_method"] == "s3")
        }
    }

    @Test("every call of API.md §2 goes to its path with its key parameter")
    func everyCall() async throws {
        let ok: APIValue = [
            "status": "ok", "media": ["key": "newKey01"], "videos": [], "total": 0,
            "video": ["key": "v"], "rate_limit": Self.rateLimit,
        ]
        try await TestAPIServer.withServer(answer: { _ in .tree(ok) }) { server in
            let client = Self.client(server)
            _ = try await client.updateVideo(
                key: "v1", VideoMetadata(title: "t"), deletingCustom: ["old"], updateFile: true)
            _ = try await client.listVideos(search: [("custom.ingest_id", "item-1")], limit: 10, offset: 20)
            try await client.deleteVideo(key: "v2")
            _ = try await client.updateThumbnail(videoKey: "v3")
            _ = try await client.createTrack(
                videoKey: "v4", TrackMetadata(kind: "captions", label: "English", language: "en"))
            _ = try await client.uploadLinkForImage()
            _ = try await client.uploadLinkForImage(key: "i1")
            _ = try await client.uploadLinkForSkin()
            _ = try await client.uploadLinkForSkin(key: "s1")
            let requests = server.requests
            #expect(
                requests.map(\.path) == [
                    "/v1/videos/update", "/v1/videos/list", "/v1/videos/delete", "/v1/videos/thumbnails/update",
                    "/v1/videos/tracks/create", "/v1/accounts/images/create", "/v1/accounts/images/update",
                    "/v1/accounts/skins/create", "/v1/accounts/skins/update",
                ])
            #expect(requests.allSatisfy { $0.signatureValid })
            #expect(requests[0].parameters["video_key"] == "v1")
            #expect(requests[0].parameters["update_file"] == "True")
            #expect(requests[0].parameters["custom.-old"] == "")
            #expect(requests[1].parameters["search:custom.ingest_id"] == "item-1")
            #expect(requests[1].parameters["result_limit"] == "10")
            #expect(requests[1].parameters["result_offset"] == "20")
            #expect(requests[2].parameters["video_key"] == "v2")
            #expect(requests[3].parameters["video_key"] == "v3")
            #expect(requests[4].parameters["video_key"] == "v4")
            #expect(requests[4].parameters["kind"] == "captions")
            #expect(requests[4].parameters["language"] == "en")
            #expect(requests[5].parameters["image_key"] == nil)
            #expect(requests[6].parameters["image_key"] == "i1")
            #expect(requests[8].parameters["skin_key"] == "s1")
        }
    }

    @Test("every documented error code becomes an APIError with its status and retry verdict", arguments: formats)
    func errorAnswers(format: AnswerFormatName) async throws {
        let codes = APIError.Code.documentedStatuses.sorted { $0.key.rawValue < $1.key.rawValue }
        try await TestAPIServer.withServer(answer: { request in
            let code = request.parameters["want"] ?? "NotFound"
            let status = APIError.Code.documentedStatuses[APIError.Code(rawValue: code)] ?? 500
            return .tree(
                ["status": "error", "code": .string(code), "title": "Title of \(code)", "message": "video_key: bad"],
                status: status)
        }) { server in
            let client = Self.client(server, format: format)
            for (code, status) in codes {
                do {
                    _ = try await client.call("/videos/show", parameters: ["want": code.rawValue])
                    Issue.record("\(code) did not throw")
                } catch let error as APIError {
                    #expect(error.code == code)
                    #expect(error.httpStatus == status)
                    #expect(error.title == "Title of \(code.rawValue)")
                    #expect(error.message == "video_key: bad")
                    #expect(error.call == "/videos/show")
                    let retryable: Set<APIError.Code> = [
                        .rateLimitExceeded, .callFailed, .internalError, .databaseError, .callUnavailable,
                    ]
                    #expect(error.isRetryable == retryable.contains(code), "\(code)")
                }
            }
        }
    }

    @Test("an HTML 502 page and an empty body are their own error, with the status and the first 200 bytes")
    func unreadableAnswers() async throws {
        let html =
            "<html><head><title>502 Bad Gateway</title></head><body>" + String(repeating: "x", count: 400)
            + "</body></html>"
        try await TestAPIServer.withServer(answer: { request in
            request.parameters["want"] == "empty"
                ? .raw([], status: 200, contentType: "text/plain")
                : .raw(Array(html.utf8), status: 502, contentType: "text/html")
        }) { server in
            for format in Self.formats {
                let client = Self.client(server, format: format)
                do {
                    _ = try await client.call("/videos/show", parameters: ["want": "html"])
                    Issue.record("no error")
                } catch let error as UnreadableAnswerError {
                    #expect(error.httpStatus == 502)
                    #expect(error.format == format)
                    #expect(error.bodyPrefix == String(html.prefix(200)))
                    #expect(error.bodyLength == html.utf8.count)
                    #expect(error.isRetryable)
                }
                do {
                    _ = try await client.call("/videos/show", parameters: ["want": "empty"])
                    Issue.record("no error")
                } catch let error as UnreadableAnswerError {
                    #expect(error.httpStatus == 200)
                    #expect(error.bodyPrefix.isEmpty)
                    #expect(error.reason.contains("empty"))
                    #expect(!error.isRetryable)
                }
            }
        }
    }

    @Test("retryable failures are retried, and every attempt is signed anew")
    func retriesAreSignedAnew() async throws {
        let counter = Counter()
        try await TestAPIServer.withServer(answer: { _ in
            switch counter.next() {
            case 0:
                return .tree(["status": "error", "code": "CallUnavailable", "title": "t", "message": ""], status: 503)
            case 1: return .raw(Array("<html>bad gateway</html>".utf8), status: 502, contentType: "text/html")
            case 2:
                return .tree(
                    [
                        "status": "error", "code": "RateLimitExceeded", "title": "t", "message": "",
                        "rate_limit": ["limit": 60, "remaining": 0, "reset": 0],
                    ], status: 429)
            default: return .tree(Self.showAnswer)
            }
        }) { server in
            let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))
            let video = try await Self.client(server, retry: policy).showVideo(key: "tL17msiU")
            #expect(video.key == "tL17msiU")
            let requests = server.requests
            #expect(requests.count == 4)
            #expect(requests.allSatisfy { $0.signatureValid })
            #expect(Set(requests.compactMap { $0.parameters["api_signature"] }).count == 4)
            #expect(Set(requests.compactMap { $0.parameters["api_nonce"] }).count == 4)
        }
    }

    @Test("errors that cannot be helped by retrying are not retried")
    func permanentErrorsNotRetried() async throws {
        try await TestAPIServer.withServer(answer: { _ in
            .tree(
                ["status": "error", "code": "SignatureInvalid", "title": "t", "message": "api_signature: bad"],
                status: 400)
        }) { server in
            let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(1))
            await #expect(throws: APIError.self) { try await Self.client(server, retry: policy).showVideo(key: "x") }
            #expect(server.requests.count == 1)
        }
    }

    @Test("no answer at all is a retryable transport error")
    func transportError() async throws {
        // A port that was just closed: bind a server, note its port, stop it.
        let port = try await TestAPIServer.withServer(answer: { _ in .tree(Self.showAnswer) }) { $0.port }
        let client = APIClient(
            credentials: TestAPIServer.credentials,
            configuration: APIClientConfiguration(endpoint: "http://127.0.0.1:\(port)", retry: .none))
        do {
            _ = try await client.showVideo(key: "x")
            Issue.record("no error")
        } catch let error as APITransportError {
            #expect(error.isRetryable)
            #expect(error.call == "/videos/show")
        }
    }

    @Test("plain http to a host that is not on loopback is refused unless allowed")
    func plainHTTPEndpoint() throws {
        let strict = APIClientConfiguration(endpoint: "http://api.jwplatform.com")
        #expect(throws: EndpointError.self) { try strict.resolvedEndpoint() }
        let allowed = APIClientConfiguration(endpoint: "http://api.jwplatform.com/", security: .allowingPlainHTTP)
        #expect(try allowed.resolvedEndpoint() == "http://api.jwplatform.com")
        #expect(try APIClientConfiguration().resolvedEndpoint() == "https://api.jwplatform.com")
        #expect(throws: EndpointError.self) {
            try APIClientConfiguration(endpoint: "api.jwplatform.com").resolvedEndpoint()
        }
    }

    @Test("call names are taken with or without the leading slash and the /v1 prefix")
    func callNames() throws {
        #expect(try APIClient.callName("/videos/show") == "/videos/show")
        #expect(try APIClient.callName("videos/show") == "/videos/show")
        #expect(try APIClient.callName("/v1/videos/show") == "/videos/show")
        for bad in [
            "/videos/show?x=1", "/videos show", "/videos/show#a", "/", "//videos", "/a/../b", "/vidéos", "/a//",
            "/a/./../b", "/..../../c",
        ] {
            #expect(throws: CallNameError.self, "\(bad)") { try APIClient.callName(bad) }
        }
        for good in ["/a/./b", "/a/..b", "/a/b..", "/a/.../b"] {
            #expect(try APIClient.callName(good) == good)
        }
    }

    @Test("a byte pattern is found where it first occurs, also after a partial match")
    func byteSearch() {
        func found(_ pattern: String, in text: String) -> Int? {
            text.utf8.firstRange(ofBytes: pattern.utf8).map {
                text.utf8.distance(from: text.utf8.startIndex, to: $0.lowerBound)
            }
        }
        #expect(found("/../", in: "/a/./../b") == 4)
        #expect(found("//", in: "a/b//c//") == 3)
        #expect(found("://", in: "https:/x://y") == 8)
        #expect(found("aab", in: "aaab") == 1)
        #expect(found("ab", in: "a") == nil)
        #expect(found("", in: "abc") == 0)
    }

    @Test("a create is not sent again after a 5xx (it may have run), but is after a 429 (it surely did not)")
    func createsAreNotRepeatedBlindly() async throws {
        let counter = Counter()
        try await TestAPIServer.withServer(answer: { request in
            if request.parameters["want"] == "429" && counter.next() == 0 {
                return .tree(
                    [
                        "status": "error", "code": "RateLimitExceeded", "title": "t", "message": "",
                        "rate_limit": ["limit": 60, "remaining": 0, "reset": 0],
                    ], status: 429)
            }
            if request.parameters["want"] == "500" {
                return .tree(["status": "error", "code": "InternalError", "title": "t", "message": ""], status: 500)
            }
            return .tree(["status": "ok", "media": ["key": "k1"], "rate_limit": Self.rateLimit])
        }) { server in
            let client = Self.client(server, retry: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(1)))
            await #expect(throws: APIError.self) {
                try await client.createVideo(VideoMetadata(title: "t"), extra: ["want": "500"])
            }
            #expect(server.requests.count == 1)
            let created = try await client.createVideo(VideoMetadata(title: "t"), extra: ["want": "429"])
            #expect(created.media?.key == "k1")
            #expect(server.requests.count == 3)
            // A show is repeatable: the same 500 is tried four times.
            await #expect(throws: APIError.self) { try await client.call("/videos/show", parameters: ["want": "500"]) }
            #expect(server.requests.count == 7)
        }
    }

    @Test("a rate-limit reset beyond the retry budget, or absurdly far, fails at once without a crash")
    func hostileRateLimitReset() async throws {
        try await TestAPIServer.withServer(answer: { request in
            .tree(
                [
                    "status": "error", "code": "RateLimitExceeded", "title": "t", "message": "",
                    "rate_limit": ["limit": 60, "remaining": 0, "reset": .string(request.parameters["reset"] ?? "0")],
                ],
                status: 429)
        }) { server in
            let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(1), maxTotal: .seconds(20))
            let client = Self.client(server, retry: policy)
            let inAnHour = Int64(Date().timeIntervalSince1970) + 3600
            for reset in [String(inAnHour), "9223372036854775807", "-9223372036854775808"] {
                let before = server.requests.count
                let error = await #expect(throws: APIError.self) {
                    try await client.call("/videos/show", parameters: ["reset": reset])
                }
                #expect(error?.code == .rateLimitExceeded)
                if reset == String(inAnHour) { #expect(server.requests.count == before + 1) }
                _ = error?.description
            }
        }
    }

    @Test("the thumbnail position is sent; a track has no update call")
    func thumbnailPositionAndTrackUpdate() async throws {
        try await TestAPIServer.withServer(answer: { _ in .tree(["status": "ok"]) }) { server in
            let client = Self.client(server)
            _ = try await client.updateThumbnail(videoKey: "v9", position: 12.5)
            #expect(server.requests.first?.parameters["position"] == "12.5")
            #expect(server.requests.first?.parameters["video_key"] == "v9")
            await #expect(throws: UploadURLError.self) {
                try await client.requestUploadLink(.track, key: "t1", useUpdateCall: true)
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test("a truncated create answer's error shows its first bytes, but not the upload token", arguments: formats)
    func unreadableAnswerHidesToken(format: AnswerFormatName) async throws {
        let token = "e2bbad0fd889d5d2e30047596cfe3789778257d2"
        let tree: APIValue = [
            "link": [
                "query": ["token": .string(token), "key": "vtQmcboj"], "protocol": "http", "path": "/v1/videos/upload",
            ],
            "status": "ok",
        ]
        let bytes = try AnswerFormatRegistry.standard.format(named: format).encode(tree)
        try await TestAPIServer.withServer(answer: { _ in
            .raw(Array(bytes.prefix(bytes.count - 3)), status: 200, contentType: "text/plain")
        }) { server in
            let error = await #expect(throws: UnreadableAnswerError.self) {
                try await Self.client(server, format: format).call("/videos/show")
            }
            let shown = error.map { "\($0)" } ?? ""
            #expect(!shown.contains("e2bbad0f"), "\(shown)")
            #expect(!shown.contains("9778257d2"), "\(shown)")
            #expect(shown.contains("<redacted>"))
        }
    }
}

/// A thread-safe counter for answers that change from one request to the next.
final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int {
        value.withLock { current in
            defer { current += 1 }
            return current
        }
    }
}
