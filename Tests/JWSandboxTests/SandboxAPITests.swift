import Foundation
import JWPlatform
import JWTestSupport
import Testing

@testable import JWSandbox

/// The sandbox's signed API, driven by this package's client as a user's code would drive the platform.
@Suite("sandbox: the signed API")
struct SandboxAPITests {
    static func client(_ sandbox: Sandbox, format: AnswerFormatName = .json, retry: RetryPolicy = .none) -> APIClient {
        APIClient(
            credentials: sandbox.credentials,
            configuration: APIClientConfiguration(endpoint: sandbox.endpoint, format: format, retry: retry))
    }

    @Test(
        "create, show, update, list and delete a video, in every format",
        arguments: [AnswerFormatName.json, .xml, .php, .py])
    func videoLifecycle(format: AnswerFormatName) async throws {
        try await Sandbox.withSandbox { sandbox in
            let client = Self.client(sandbox, format: format)
            let created = try await client.createVideo(
                VideoMetadata(title: "Démo ☃", tags: ["a", "b"], custom: [.init(name: "ingest_id", value: "item-1")]),
                md5: "0123456789abcdef0123456789abcdef", size: 10)
            let key = try #require(created.media?.key)
            let link = try #require(created.link)
            #expect(link.token?.count == 40)
            #expect(link.path == "/v1/videos/upload")
            #expect(created.rateLimit?.limit == 60)

            let shown = try await client.showVideo(key: key)
            #expect(shown.status == .created)
            #expect(shown.title == "Démo ☃")
            #expect(shown.custom == ["ingest_id": "item-1"])

            _ = try await client.updateVideo(key: key, VideoMetadata(title: "Renamed"), deletingCustom: ["ingest_id"])
            #expect(try await client.showVideo(key: key).title == "Renamed")
            #expect(try await client.showVideo(key: key).custom.isEmpty)

            let second = try await client.createVideo(
                VideoMetadata(custom: [.init(name: "ingest_id", value: "item-2")]))
            let found = try await client.listVideos(search: [("custom.ingest_id", "item-2")])
            #expect(found.total == 1)
            #expect(found.videos.map(\.key) == [second.media?.key])
            #expect(try await client.listVideos().total == 2)

            try await client.deleteVideo(key: key)
            await #expect(throws: APIError.self) { try await client.showVideo(key: key) }
            #expect(await sandbox.assets().map(\.key) == [second.media?.key].compactMap { $0 })
        }
    }

    @Test("a wrong secret, an old timestamp and a replayed signature are refused with the documented codes")
    func authentication() async throws {
        try await Sandbox.withSandbox { sandbox in
            let wrongSecret = APIClient(
                credentials: APICredentials(key: sandbox.credentials.key, secret: "not-the-secret"),
                configuration: APIClientConfiguration(endpoint: sandbox.endpoint, retry: .none))
            let signatureError = await #expect(throws: APIError.self) { try await wrongSecret.listVideos() }
            #expect(signatureError?.code == .signatureInvalid)
            #expect(signatureError?.httpStatus == 400)

            let wrongKey = APIClient(
                credentials: APICredentials(key: "someone", secret: "x"),
                configuration: APIClientConfiguration(endpoint: sandbox.endpoint, retry: .none))
            #expect(await #expect(throws: APIError.self) { try await wrongKey.listVideos() }?.code == .apiKeyInvalid)

            let yesterday = APISigner(
                credentials: sandbox.credentials, now: { Date().addingTimeInterval(-28 * 3600) })
            let old = APIClient(
                signer: yesterday, configuration: APIClientConfiguration(endpoint: sandbox.endpoint, retry: .none))
            let expired = await #expect(throws: APIError.self) { try await old.listVideos() }
            #expect(expired?.code == .timestampExpired)
            #expect(expired?.httpStatus == 403)

            // The same signed request twice (same second, same nonce): the second is a replay.
            let instant = Date()
            let fixed = APISigner(credentials: sandbox.credentials, now: { instant }, nonce: { "12345678" })
            let replaying = APIClient(
                signer: fixed, configuration: APIClientConfiguration(endpoint: sandbox.endpoint, retry: .none))
            _ = try await replaying.call("/videos/list", parameters: ["result_limit": 1])
            let replay = await #expect(throws: APIError.self) {
                try await replaying.call("/videos/list", parameters: ["result_limit": 1])
            }
            #expect(replay?.code == .signatureInvalid)
        }
    }

    @Test("a signature made in the Python client's order is accepted")
    func pythonOrderAccepted() async throws {
        try await Sandbox.withSandbox { sandbox in
            var parameters: APIParameters = [
                "❄": "⛄", "result_limit": 5, "api_format": "json", "api_key": sandbox.credentials.key,
                "api_nonce": "123456789", "api_timestamp": Int64(Date().timeIntervalSince1970),
            ]
            parameters.append(
                "api_signature",
                APISigner.signature(of: parameters, secret: sandbox.credentials.secret, order: .unencodedName))
            let curl = try #require(ChildProcess.which("curl"), "curl is needed")
            let result = try await ChildProcess.run(
                curl, ["-s", sandbox.endpoint + "/v1/videos/list?" + parameters.encodedQuery])
            #expect(try JSONAnswerFormat().decode(Array(result.standardOutput.utf8))["status"] == "ok")
        }
    }

    @Test("past the per-route limit a call is refused with 429 and a rate_limit block saying when to retry")
    func rateLimit() async throws {
        var configuration = SandboxConfiguration()
        // Windows of an hour, started a second ago: a loaded machine cannot see one renew between the calls.
        configuration.rateLimits = RateLimitSettings(perMinute: 3, listPerMinute: 2, window: .seconds(3600))
        let intoHour = configuration.clock.now.timeIntervalSince1970.truncatingRemainder(dividingBy: 3600)
        configuration.clock.advance(by: 3601 - intoHour)
        try await Sandbox.withSandbox(configuration) { sandbox in
            let client = Self.client(sandbox)
            _ = try await client.listVideos()
            let second = try await client.listVideos()
            #expect(second.rateLimit?.remaining == 0)
            #expect(second.rateLimit?.limit == 2)
            let refused = await #expect(throws: APIError.self) { try await client.listVideos() }
            #expect(refused?.code == .rateLimitExceeded)
            #expect(refused?.httpStatus == 429)
            #expect(refused?.isRetryable == true)
            #expect((refused?.rateLimit?.reset.timeIntervalSinceNow ?? -1) > 0)
            // Another route has its own window.
            _ = try await client.createVideo(VideoMetadata(title: "t"))
        }
    }

    @Test("missing and invalid parameters get the documented codes")
    func parameterErrors() async throws {
        try await Sandbox.withSandbox { sandbox in
            let client = Self.client(sandbox)
            let missing = await #expect(throws: APIError.self) { try await client.call("/videos/show") }
            #expect(missing?.code == .parameterMissing)
            #expect(missing?.message.hasPrefix("video_key:") == true)
            let notFound = await #expect(throws: APIError.self) { try await client.showVideo(key: "nothere") }
            #expect(notFound?.code == .notFound)
            #expect(notFound?.httpStatus == 404)
            let badTrack = await #expect(throws: APIError.self) {
                let video = try await client.createVideo(VideoMetadata(title: "v"))
                _ = try await client.createTrack(videoKey: video.media?.key ?? "", TrackMetadata(kind: "subtitles"))
            }
            #expect(badTrack?.code == .parameterInvalid)
            let unknownCall = await #expect(throws: APIError.self) { try await client.call("/videos/frobnicate") }
            #expect(unknownCall?.code == .notFound)
        }
    }

    @Test("injected faults follow the spec: every show fails with 503 while create works")
    func injectedFaults() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "503=100%@/videos/show", seed: 7)
        try await Sandbox.withSandbox(configuration) { sandbox in
            let client = Self.client(sandbox)
            let created = try await client.createVideo(VideoMetadata(title: "t"))
            let failure = await #expect(throws: APIError.self) {
                try await client.showVideo(key: created.media?.key ?? "")
            }
            #expect(failure?.httpStatus == 503)
            #expect(failure?.isRetryable == true)
        }
    }
}
