import Foundation
import JWPlatform

/// `GET /_sandbox/assets`: every asset as JSON, for tests in other processes.
enum InspectionEndpoint {
    /// Whether an `Authorization` header gives the sandbox's key and secret (HTTP basic).
    static func isAuthorized(_ header: String?, _ credentials: APICredentials) -> Bool {
        guard let header, header.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return false }
        let key = String(text[..<colon])
        let secret = String(text[text.index(after: colon)...])
        return key == credentials.key && credentials.secret.withRevealedText { $0 == secret }
    }

    static func assetsJSON(_ assets: [SandboxAsset]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return Array(try encoder.encode(assets))
    }
}
