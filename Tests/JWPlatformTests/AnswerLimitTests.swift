import Foundation
import Testing

@testable import JWPlatform

/// The limits an API call puts on its answer, now that the whole answer is gathered on the event loop
/// (issue 14): the request timeout covers the body too, the size cap holds for answers with and without a
/// length, and cancelling the caller's task ends the request.
@Suite("an API call's answer is bounded in time and size")
struct AnswerLimitTests {
    static func client(
        _ server: TestAPIServer, timeout: Duration = .seconds(60), maxAnswerBytes: Int = 16 << 20
    )
        -> APIClient
    {
        APIClient(
            credentials: TestAPIServer.credentials,
            configuration: APIClientConfiguration(
                endpoint: server.endpoint, requestTimeout: timeout, maxAnswerBytes: maxAnswerBytes, retry: .none))
    }

    @Test("an answer whose body does not end within the request timeout is a retryable transport error")
    func trickleTimesOut() async throws {
        // The head at once, then one byte every 50 ms for 30 s: each read is quick, the whole is not.
        let trickle = [Array("{\"status\": \"ok\", ".utf8)] + Array(repeating: [UInt8(ascii: " ")], count: 600)
        try await TestAPIServer.withServer(answer: { _ in .parts(trickle, interval: .milliseconds(50)) }) { server in
            let started = ContinuousClock.now
            do {
                _ = try await Self.client(server, timeout: .milliseconds(400)).showVideo(key: "x")
                Issue.record("no error")
            } catch let error as APITransportError {
                #expect(error.isRetryable && !error.beforeSending)
                #expect(error.call == "/videos/show")
                #expect(error.reason.contains("no complete answer within"), "\(error)")
            }
            // Ended by the timeout, far before the server's 30 s (a bound loose enough for a loaded machine).
            let elapsed = ContinuousClock.now - started
            print("answer limits: a 400 ms timeout ended the call after \(elapsed)")
            #expect(elapsed < .seconds(20))
        }
    }

    @Test("an answer larger than maxAnswerBytes is refused as unreadable, with or without a length")
    func tooLarge() async throws {
        let large = Array(repeating: UInt8(ascii: " "), count: 10_000)
        let answers: [TestAnswer] = [
            .raw(large, status: 200, contentType: "application/json"),
            .parts(Array(repeating: Array(large.prefix(1_000)), count: 10), interval: .zero),
        ]
        for answer in answers {
            try await TestAPIServer.withServer(answer: { _ in answer }) { server in
                do {
                    _ = try await Self.client(server, maxAnswerBytes: 4_000).showVideo(key: "x")
                    Issue.record("no error")
                } catch let error as UnreadableAnswerError {
                    #expect(error.httpStatus == 200)
                    #expect(error.call == "/videos/show")
                    #expect(error.reason == "the body is larger than 4000 bytes")
                }
            }
        }
    }

    @Test("an answer of exactly maxAnswerBytes is read")
    func atTheLimit() async throws {
        let body = try JSONAnswerFormat().encode(["status": "ok", "video": ["key": "abcd1234", "title": "t"]])
        try await TestAPIServer.withServer(answer: { _ in .raw(body, status: 200, contentType: "application/json") }) {
            server in
            let answer = try await Self.client(server, maxAnswerBytes: body.count).call(
                "/videos/show", parameters: ["video_key": "abcd1234"])
            #expect(answer.httpStatus == 200)
        }
    }

    @Test("cancelling the calling task ends a call whose answer has not come")
    func cancelled() async throws {
        let trickle = [Array("{".utf8)] + Array(repeating: [UInt8(ascii: " ")], count: 600)
        try await TestAPIServer.withServer(answer: { _ in .parts(trickle, interval: .milliseconds(50)) }) { server in
            let client = Self.client(server)
            let started = ContinuousClock.now
            let call = Task { try await client.showVideo(key: "x") }
            try await Task.sleep(for: .milliseconds(200))
            call.cancel()
            switch await call.result {
            case .success: Issue.record("the call ended with an answer")
            case .failure(let error as APITransportError):
                // AsyncHTTPClient's own word for it, not a timeout or a broken answer.
                #expect(error.reason.contains("cancelled"), "\(error)")
            case .failure(let error): Issue.record("not a transport error: \(error)")
            }
            // Ended by the cancellation, far before the server's 30 s or the 60 s timeout.
            let elapsed = ContinuousClock.now - started
            print("answer limits: cancelled after 200 ms, the call ended after \(elapsed)")
            #expect(elapsed < .seconds(20))
        }
    }
}
