import Foundation
import NIOHTTP1
import Testing

@testable import JWPlatform

/// The parts of the v2 client that need no server: credentials, paths and routes, answers and errors.
@Suite("v2 client: credentials, routes, answers")
struct V2ClientUnitTests {
    static let secretText = "V2S3cretValue-DoNotPrint-0123456789"

    @Test("credentials from JW_SITE_ID and JW_V2_API_SECRET, or a file; never printed")
    func credentials() throws {
        let fromEnvironment = try V2Credentials.fromEnvironment([
            "JW_SITE_ID": "AbCd1234", "JW_V2_API_SECRET": Self.secretText,
        ])
        #expect(fromEnvironment?.siteID == "AbCd1234")
        #expect(fromEnvironment?.secret.withRevealedText { $0 } == Self.secretText)
        #expect(try V2Credentials.fromEnvironment([:]) == nil)
        #expect(!"\(String(describing: fromEnvironment))".contains(Self.secretText))
        #expect(!String(reflecting: fromEnvironment as Any).contains(Self.secretText))
        do {
            _ = try V2Credentials.fromEnvironment(["JW_V2_API_SECRET": Self.secretText])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("JW_SITE_ID"), "\(error)")
            #expect(!"\(error)".contains(Self.secretText))
        }
        // A site id goes into every path: one that could change the path is refused.
        #expect(throws: CredentialsError.self) {
            try V2Credentials.fromEnvironment(["JW_SITE_ID": "../x", "JW_V2_API_SECRET": Self.secretText])
        }
        for content in [
            "{\"site_id\": \"Site0001\", \"v2_secret\": \"\(Self.secretText)\"}",
            "export JW_SITE_ID=Site0001\nJW_V2_API_SECRET='\(Self.secretText)'\n",
        ] {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("v2-\(UUID().uuidString).txt")
            try Data(content.utf8).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            let loaded = try V2Credentials.load(from: url)
            #expect(loaded.siteID == "Site0001")
            #expect(loaded.secret.withRevealedText { $0 } == Self.secretText)
        }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("v2-\(UUID().uuidString).json")
        try Data("{\"site_id\": \"Site0001\"}".utf8).write(to: empty)
        defer { try? FileManager.default.removeItem(at: empty) }
        let missing = #expect(throws: CredentialsError.self) { try V2Credentials.load(from: empty) }
        #expect(missing?.description.contains(empty.path) == true)
        #expect(missing?.description.contains("v2_secret") == true, "\(String(describing: missing))")
    }

    @Test("paths: {site_id} filled in, /v2 added, nothing that leaves the API; routes name ids as placeholders")
    func routes() throws {
        #expect(try V2Route.resolve("/v2/sites/{site_id}/media/", siteID: "Ab12") == "/v2/sites/Ab12/media/")
        #expect(try V2Route.resolve("sites/{site}/media/x1/", siteID: "Ab12") == "/v2/sites/Ab12/media/x1/")
        for bad in ["/v2/../v1/videos/show", "/v2/sites//media", "/v2/media?x=1", "/v2/media x"] {
            #expect(throws: CallNameError.self, "\(bad)") { try V2Route.resolve(bad, siteID: "Ab12") }
        }
        #expect(
            V2Route.name(method: "GET", path: "/v2/sites/Ab12/media/Zx9y8w7v/", siteID: "Ab12")
                == "GET /v2/sites/{site_id}/media/{id}/")
        #expect(
            V2Route.name(method: "PUT", path: "/v2/uploads/u123/complete", siteID: "Ab12")
                == "PUT /v2/uploads/{id}/complete")
    }

    @Test("an error answer: the first of errors gives code and description; the status decides a retry")
    func errors() throws {
        let body = Array(#"{"errors":[{"code":"not_found","description":"No media abc"}]}"#.utf8)
        let notFound = #expect(throws: APIError.self) {
            try V2Answer.read(route: "GET /v2/x", httpStatus: 404, headers: [:], body: body)
        }
        #expect(notFound?.code.rawValue == "not_found")
        #expect(notFound?.message == "No media abc")
        #expect(notFound?.httpStatus == 404)
        #expect(notFound?.isRetryable == false)
        let failed = #expect(throws: APIError.self) {
            try V2Answer.read(route: "POST /v2/x", httpStatus: 502, headers: [:], body: Array(#"{"errors":[]}"#.utf8))
        }
        #expect(failed?.isRetryable == true)
        // An HTML page from a proxy is its own error, with its first bytes.
        let html = #expect(throws: UnreadableAnswerError.self) {
            try V2Answer.read(route: "GET /v2/x", httpStatus: 502, headers: [:], body: Array("<html>bad</html>".utf8))
        }
        #expect(html?.bodyPrefix.contains("<html>") == true)
        // A 204 without a body is an empty object.
        let deleted = try V2Answer.read(route: "DELETE /v2/x", httpStatus: 204, headers: [:], body: [])
        #expect(deleted.value.objectValue?.isEmpty == true)
    }

    @Test("a 429 is RateLimitExceeded with the window from Retry-After, even without a JSON body")
    func tooManyRequests() throws {
        var headers = HTTPHeaders()
        headers.add(name: "Retry-After", value: "3")
        headers.add(name: "jw-request-limit", value: "60")
        let error = #expect(throws: APIError.self) {
            try V2Answer.read(route: "POST /v2/x", httpStatus: 429, headers: headers, body: Array("slow down".utf8))
        }
        #expect(error?.code == .rateLimitExceeded)
        #expect(error?.rateLimit?.limit == 60)
        #expect(error?.rateLimit?.remaining == 0)
        let wait = error?.rateLimit?.reset.timeIntervalSinceNow ?? 0
        #expect(wait > 2 && wait <= 3.5, "\(wait)")
        #expect(APIClient.surelyNotExecuted(try #require(error)))
        // The window of a success answer.
        var ok = HTTPHeaders()
        ok.add(name: "jw-request-limit", value: "60")
        ok.add(name: "jw-request-remaining", value: "41")
        let answer = try V2Answer.read(route: "GET /v2/x", httpStatus: 200, headers: ok, body: Array("{}".utf8))
        #expect(answer.rateLimit?.remaining == 41)
        #expect(answer.rateLimit?.limit == 60)
    }

    @Test("an upload token and the Bearer secret are redacted in answers and text")
    func redaction() throws {
        let tree: APIValue = ["id": "Ab12Cd34", "upload_id": "u1", "upload_token": .string(Self.secretText)]
        let shown = try JSONAnswerFormat().encode(Redaction.redact(tree: tree))
        #expect(!String(decoding: shown, as: UTF8.self).contains(Self.secretText))
        #expect(String(decoding: shown, as: UTF8.self).contains("Ab12Cd34"))
        #expect(!Redaction.redact(bodyText: "Authorization: Bearer \(Self.secretText)").contains(Self.secretText))
    }
}
