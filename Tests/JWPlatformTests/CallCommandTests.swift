import Foundation
import JWTestSupport
import Testing

@testable import JWPlatform

/// `jwingest call` run as a child process, as a user runs it, against a real server on 127.0.0.1.
@Suite("jwingest call")
struct CallCommandTests {
    static let environment = ["JW_API_KEY": TestAPIServer.key, "JW_API_SECRET": TestAPIServer.secret]

    static let answer: APIValue = [
        "status": "ok",
        "video": ["key": "tL17msiU", "title": "démo ☃", "size": 21_545_452, "custom": ["ingest_id": "a"]],
        "rate_limit": ["reset": 1_572_450_240, "limit": 60, "remaining": 59],
    ]

    @Test(
        "decodes an answer in each format and prints it as JSON", arguments: [AnswerFormatName.json, .xml, .php, .py])
    func decodesEachFormat(format: AnswerFormatName) async throws {
        try await TestAPIServer.withServer(answer: { _ in .tree(Self.answer) }) { server in
            let result = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "call", "/videos/show", "video_key=tL17msiU", "--format", format.rawValue, "--endpoint",
                    server.endpoint,
                ],
                environment: Self.environment)
            #expect(result.status == 0, "stderr: \(result.standardError)")
            let printed = try JSONAnswerFormat().decode(Array(result.standardOutput.utf8))
            let codec = try AnswerFormatRegistry.standard.format(named: format)
            #expect(printed == codec.normalized(Self.answer))
            let request = try #require(server.requests.first)
            #expect(request.path == "/v1/videos/show")
            #expect(request.method == "GET")
            #expect(request.signatureValid)
            #expect(request.parameters["api_format"] == format.rawValue)
        }
    }

    @Test("--post sends a form body; repeated names are sent as a list; credentials from a file")
    func postWithCredentialsFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("jwingest-cli-\(UUID().uuidString)")
        try Data("JW_API_KEY=\(TestAPIServer.key)\nJW_API_SECRET=\(TestAPIServer.secret)\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try await TestAPIServer.withServer(answer: { _ in .tree(Self.answer) }) { server in
            let result = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "call", "videos/create", "title=A = B", "tags=x", "tags=y", "--post", "--endpoint", server.endpoint,
                    "--credentials", file.path,
                ])
            #expect(result.status == 0, "stderr: \(result.standardError)")
            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.path == "/v1/videos/create")
            #expect(request.signatureValid)
            #expect(request.parameters["title"] == "A = B")
            #expect(request.parameters.filter { $0.name == "tags" }.map(\.value) == ["x", "y"])
        }
    }

    @Test("upload tokens in the answer print as <redacted> unless --show-secrets is given")
    func secretsRedactedInOutput() async throws {
        let token = "e2bbad0fd889d5d2e30047596cfe3789778257d2"
        let created: APIValue = [
            "status": "ok", "media": ["type": "video", "key": "k1"],
            "link": [
                "protocol": "http", "address": "127.0.0.1:1", "path": "/v1/videos/upload",
                "query": ["key": "vtQmcboj", "token": .string(token)],
            ],
        ]
        try await TestAPIServer.withServer(answer: { _ in .tree(created) }) { server in
            let arguments = ["call", "/videos/create", "title=x", "--post", "--endpoint", server.endpoint]
            let hidden = try await ChildProcess.run(ChildProcess.jwingest, arguments, environment: Self.environment)
            #expect(hidden.status == 0)
            #expect(!hidden.standardOutput.contains(token))
            #expect(
                try JSONAnswerFormat().decode(Array(hidden.standardOutput.utf8))["link"]?["query"]?["token"]
                    == "<redacted>")
            let shown = try await ChildProcess.run(
                ChildProcess.jwingest, arguments + ["--show-secrets"], environment: Self.environment)
            #expect(shown.status == 0)
            #expect(shown.standardOutput.contains(token))
        }
    }

    @Test("an API error exits 1 with the typed error on stderr and nothing on stdout")
    func apiErrorExitsNonZero() async throws {
        try await TestAPIServer.withServer(answer: { _ in
            .tree(
                ["status": "error", "code": "NotFound", "title": "Not Found", "message": "video_key: no such video"],
                status: 404)
        }) { server in
            let result = try await ChildProcess.run(
                ChildProcess.jwingest, ["call", "/videos/show", "video_key=zzz", "--endpoint", server.endpoint],
                environment: Self.environment)
            #expect(result.status == 1)
            #expect(result.standardOutput.isEmpty)
            #expect(result.standardError.contains("NotFound"))
            #expect(result.standardError.contains("HTTP 404"))
            #expect(result.standardError.contains("video_key: no such video"))
            #expect(!result.standardError.contains(TestAPIServer.secret))
        }
    }

    @Test("usage errors exit 2: no credentials, a bad format, a parameter without '='")
    func usageErrors() async throws {
        let noCredentials = try await ChildProcess.run(ChildProcess.jwingest, ["call", "/videos/show"])
        #expect(noCredentials.status == 2)
        #expect(noCredentials.standardError.contains("JW_API_KEY"))
        let badFormat = try await ChildProcess.run(
            ChildProcess.jwingest, ["call", "/videos/show", "--format", "yaml"], environment: Self.environment)
        #expect(badFormat.status == 2)
        #expect(badFormat.standardError.contains("yaml"))
        let badParameter = try await ChildProcess.run(
            ChildProcess.jwingest, ["call", "/videos/show", "video_key"], environment: Self.environment)
        #expect(badParameter.status == 2)
        let plainHTTP = try await ChildProcess.run(
            ChildProcess.jwingest, ["call", "/videos/show", "--endpoint", "http://api.example.com"],
            environment: Self.environment)
        #expect(plainHTTP.status == 2)
        #expect(plainHTTP.standardError.contains("loopback"))
        #expect(!plainHTTP.standardError.contains(TestAPIServer.secret))
    }
}
