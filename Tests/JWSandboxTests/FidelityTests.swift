import Foundation
import JWPlatform
import JWTestSupport
import Testing

@testable import JWSandbox

/// The sandbox against clients and readers nobody here wrote: the official Python client, and Python's
/// and PHP's own readers of the answer formats.
@Suite("sandbox: fidelity with clients nobody here wrote")
struct FidelityTests {
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fidelity")
    }

    /// The Python of the test environment (`scripts/test.sh`), which has the official client.
    static var python: URL { get throws { try TestTools.python } }

    @Test("the test environment that scripts/test.sh prepares has the official client jwplatform==2.2.2")
    func testEnvironmentHasTheOfficialClient() async throws {
        let result = try await ChildProcess.run(
            try Self.python, ["-c", "import jwplatform.version as v; print(v.__version__)"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "2.2.2")
    }

    @Test("the official Python client jwplatform==2.2.2 creates, shows and lists a video")
    func officialPythonClient() async throws {
        try await Sandbox.withSandbox { sandbox in
            let address = try #require(URLComponents(string: sandbox.endpoint))
            let secret = sandbox.credentials.secret.withRevealedText { $0 }
            let result = try await ChildProcess.run(
                Self.python,
                [
                    Self.fixtures.appendingPathComponent("official_client.py").path, address.host ?? "",
                    String(address.port ?? 0), sandbox.credentials.key, secret,
                ])
            #expect(result.status == 0, "the official client failed: \(result.standardError)")
            let answer = try JSONAnswerFormat().decode(Array(result.standardOutput.utf8))
            #expect(answer["create"]?["status"] == "ok")
            #expect(answer["show"]?["video"]?["title"] == "From the official client ❄")
            #expect(answer["show"]?["video"]?["custom"]?["ingest_id"] == "py-1")
            #expect(answer["list"]?["total"] == 1)
            let assets = await sandbox.assets()
            #expect(assets.count == 1)
            #expect(assets.first?.custom == ["ingest_id": "py-1"])
        }
    }

    /// A signed call in `format`, fetched by curl, saved to a file.
    static func answer(
        _ sandbox: Sandbox, call: String, _ parameters: APIParameters, format: AnswerFormatName, folder: URL
    ) async throws -> URL {
        let signed = APISigner(credentials: sandbox.credentials).sign(parameters, format: format)
        let file = folder.appendingPathComponent("\(call.replacingOccurrences(of: "/", with: "_")).\(format)")
        let curl = try #require(ChildProcess.which("curl"))
        let result = try await ChildProcess.run(
            curl, ["-s", "-o", file.path, sandbox.endpoint + "/v1" + call + "?" + signed.encodedQuery])
        #expect(result.status == 0)
        return file
    }

    /// The tree without the `rate_limit` block, which changes from one call to the next.
    static func withoutRateLimit(_ tree: APIValue) -> APIValue {
        guard case .object(var object) = tree else { return tree }
        object["rate_limit"] = nil
        return .object(object)
    }

    @Test("pickle.loads (restricted), PHP's unserialize and xml.etree read the same tree as the JSON answer")
    func foreignReaders() async throws {
        var configuration = SandboxConfiguration()
        configuration.processingTime = 0
        try await Sandbox.withSandbox(configuration) { sandbox in
            let client = APIClient(
                credentials: sandbox.credentials,
                configuration: APIClientConfiguration(endpoint: sandbox.endpoint, retry: .none))
            let created = try await client.createVideo(
                VideoMetadata(title: "Démo ☃ <&>", tags: ["a"], custom: [.init(name: "ingest_id", value: "x-1")]))
            let key = try #require(created.media?.key)
            let folder = try TestMedia.temporaryFolder("jwsandbox-fidelity")
            defer { try? FileManager.default.removeItem(at: folder) }
            let media = folder.appendingPathComponent("clip.wav")
            try Data(TestMedia.wav(seconds: 2.5)).write(to: media)
            let upload = try UploadURLBuilder.formUpload(link: try #require(created.link), format: .json)
            let curl = try #require(ChildProcess.which("curl"))
            _ = try await ChildProcess.run(curl, ["-s", "--form", "file=@\(media.path)", upload.url])

            // A show (strings, nulls, objects), a list (integers, arrays), and an error answer.
            let calls: [(String, APIParameters)] = [
                ("/videos/show", ["video_key": key]), ("/videos/list", ["result_limit": 10]),
                ("/videos/show", ["video_key": "missing1"]),
            ]
            let reader = Self.fixtures.appendingPathComponent("read_answers.py").path
            let php = try #require(ChildProcess.which("php"), "php-cli is needed (CI installs it)")
            for (index, (call, parameters)) in calls.enumerated() {
                let callFolder = folder.appendingPathComponent("\(index)")
                try FileManager.default.createDirectory(at: callFolder, withIntermediateDirectories: true)
                let jsonFile = try await Self.answer(sandbox, call: call, parameters, format: .json, folder: callFolder)
                let expected = Self.withoutRateLimit(try JSONAnswerFormat().decode([UInt8](Data(contentsOf: jsonFile))))
                #expect(expected["status"] != nil, "\(call)")

                let pickleFile = try await Self.answer(sandbox, call: call, parameters, format: .py, folder: callFolder)
                let unpickled = try await ChildProcess.run(Self.python, [reader, "py", pickleFile.path])
                #expect(unpickled.status == 0, "\(unpickled.standardError)")
                let fromPickle = try JSONAnswerFormat().decode(Array(unpickled.standardOutput.utf8))
                #expect(Self.withoutRateLimit(fromPickle) == expected, "\(call)")

                let xmlFile = try await Self.answer(sandbox, call: call, parameters, format: .xml, folder: callFolder)
                let etree = try await ChildProcess.run(Self.python, [reader, "xml", xmlFile.path])
                #expect(etree.status == 0, "\(etree.standardError)")
                let fromXML = try JSONAnswerFormat().decode(Array(etree.standardOutput.utf8))
                #expect(Self.withoutRateLimit(fromXML) == XMLAnswerFormat().normalized(expected), "\(call)")

                let phpFile = try await Self.answer(sandbox, call: call, parameters, format: .php, folder: callFolder)
                let unserialized = try await ChildProcess.run(
                    php, ["-r", "echo json_encode(unserialize(file_get_contents($argv[1])));", phpFile.path])
                #expect(unserialized.status == 0, "\(unserialized.standardError)")
                let fromPHP = try JSONAnswerFormat().decode(Array(unserialized.standardOutput.utf8))
                #expect(Self.withoutRateLimit(fromPHP) == PHPAnswerFormat().normalized(expected), "\(call)")
            }
        }
    }
}
