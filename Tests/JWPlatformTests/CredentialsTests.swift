import Foundation
import Testing

@testable import JWPlatform

@Suite("credentials: environment, file, redaction")
struct CredentialsTests {
    static let secretText = "Sup3rS3cretValue-DoNotPrint"

    @Test("read from JW_API_KEY and JW_API_SECRET")
    func fromEnvironment() throws {
        let credentials = try APICredentials.fromEnvironment(["JW_API_KEY": "k1", "JW_API_SECRET": Self.secretText])
        #expect(credentials?.key == "k1")
        #expect(credentials?.secret.withRevealedText { $0 } == Self.secretText)
        #expect(try APICredentials.fromEnvironment([:]) == nil)
    }

    @Test("only one of the two variables set is an error that names the missing one")
    func halfConfiguredEnvironment() {
        #expect(throws: CredentialsError.self) { try APICredentials.fromEnvironment(["JW_API_KEY": "k"]) }
        do {
            _ = try APICredentials.fromEnvironment(["JW_API_SECRET": Self.secretText])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("JW_API_KEY"))
            #expect(!"\(error)".contains(Self.secretText))
        }
    }

    @Test(
        "read from a file, JSON or shell lines",
        arguments: [
            "{\"key\": \"k2\", \"secret\": \"\(secretText)\"}",
            "{\"api_key\": \"k2\", \"api_secret\": \"\(secretText)\"}",
            "# jwingest\nexport JW_API_KEY=k2\nJW_API_SECRET='\(secretText)'\n",
            "JW_API_KEY=\"k2\"\r\nJW_API_SECRET=\(secretText)\r\n",
        ])
    func fromFile(content: String) throws {
        let url = try temporaryFile(content)
        defer { try? FileManager.default.removeItem(at: url) }
        let credentials = try APICredentials.load(from: url)
        #expect(credentials.key == "k2")
        #expect(credentials.secret.withRevealedText { $0 } == Self.secretText)
    }

    @Test("a broken file says which file and what is missing, never the secret")
    func brokenFiles() throws {
        for content in [
            "JW_API_SECRET=\(Self.secretText)\n", "{\"key\": \"k\", \"secret\": \"\(Self.secretText)\"", "",
        ] {
            let url = try temporaryFile(content)
            defer { try? FileManager.default.removeItem(at: url) }
            do {
                _ = try APICredentials.load(from: url)
                Issue.record("expected an error for \(content.count) bytes")
            } catch let error as CredentialsError {
                #expect(error.description.contains(url.path))
                #expect(!error.description.contains(Self.secretText))
            }
        }
        let missing = URL(fileURLWithPath: "/nonexistent/jwingest-credentials")
        #expect(throws: CredentialsError.self) { try APICredentials.load(from: missing) }
    }

    @Test("description, debug description, dump and interpolation redact the secret")
    func redaction() {
        let credentials = APICredentials(key: "k3", secret: Self.secretText)
        var dumped = ""
        dump(credentials, to: &dumped)
        let shown = [
            credentials.description, credentials.debugDescription, String(reflecting: credentials), "\(credentials)",
            dumped, "\(credentials.secret)", String(reflecting: credentials.secret),
        ]
        for text in shown {
            #expect(!text.contains(Self.secretText), "leaked in: \(text)")
        }
        #expect(credentials.description.contains("k3"))
        #expect(credentials.description.contains("<redacted>"))
    }

    private func temporaryFile(_ content: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jwingest-cred-\(UUID().uuidString)")
        try Data(content.utf8).write(to: url)
        return url
    }
}
