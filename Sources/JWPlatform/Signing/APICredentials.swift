import Foundation

/// An API secret that never shows itself.
///
/// Its description, debug description, reflection and string interpolation all print `<redacted>`; the text
/// is reached only through ``withRevealedText(_:)``, which the signer calls.
public struct APISecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let text: String

    /// Wraps `text`.
    public init(_ text: String) { self.text = text }

    /// Gives the secret's text to `body`, for signing; never log what `body` receives.
    public func withRevealedText<Result>(_ body: (String) throws -> Result) rethrows -> Result {
        try body(text)
    }

    /// Whether the secret is empty.
    public var isEmpty: Bool { text.isEmpty }

    /// The text shown in messages and logs.
    public var description: String { "<redacted>" }
    /// The text shown by debuggers: secrets redacted.
    public var debugDescription: String { "<redacted>" }
    /// What `dump` and debuggers show: secrets redacted.
    public var customMirror: Mirror { Mirror(self, children: ["text": "<redacted>"]) }
}

/// The key and secret of a JW Platform account's v1 API.
///
/// Read them from the environment (``fromEnvironment(_:)``: `JW_API_KEY`, `JW_API_SECRET`) or from a file
/// (``load(from:)``). The secret is an ``APISecret``: nothing this type prints shows it.
public struct APICredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The account's v1 API key (public: it is sent with every call).
    public var key: String
    /// The account's v1 API secret (never sent, never printed).
    public var secret: APISecret

    /// Creates credentials.
    public init(key: String, secret: APISecret) {
        self.key = key
        self.secret = secret
    }

    /// Creates credentials from a key and the secret's text.
    public init(key: String, secret: String) {
        self.init(key: key, secret: APISecret(secret))
    }

    /// The text shown in messages and logs.
    public var description: String { "APICredentials(key: \(key), secret: <redacted>)" }
    /// The text shown by debuggers: secrets redacted.
    public var debugDescription: String { description }

    /// The names of the environment variables that hold the key and the secret.
    public static let keyVariable = "JW_API_KEY"
    /// See ``keyVariable``.
    public static let secretVariable = "JW_API_SECRET"

    /// The credentials in `JW_API_KEY` and `JW_API_SECRET`, or `nil` when neither is set.
    ///
    /// - Throws: ``CredentialsError`` when only one of the two is set, or one is empty.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    )
        throws -> APICredentials?
    {
        let key = environment[keyVariable]
        let secret = environment[secretVariable]
        if key == nil && secret == nil { return nil }
        guard let key, !key.isEmpty else {
            throw CredentialsError(
                source: "environment", reason: "\(keyVariable) is empty or not set; set both or neither")
        }
        guard let secret, !secret.isEmpty else {
            throw CredentialsError(
                source: "environment", reason: "\(secretVariable) is empty or not set; set both or neither")
        }
        return APICredentials(key: key, secret: secret)
    }

    /// Reads credentials from a file.
    ///
    /// Two layouts are read: JSON, `{"key": "…", "secret": "…"}` (also `api_key`/`api_secret`), or lines
    /// `JW_API_KEY=…` and `JW_API_SECRET=…` as a shell would source them (`#` comments, optional quotes,
    /// optional `export`).
    ///
    /// - Throws: ``CredentialsError`` naming the file and what is missing; never its content.
    public static func load(from url: URL) throws -> APICredentials {
        let values = try CredentialsFile.read(url)
        let source = url.path
        guard let key = values["key"] ?? values["api_key"] ?? values[keyVariable], !key.isEmpty else {
            throw CredentialsError(source: source, reason: "has no API key (JSON \"key\" or a \(keyVariable)= line)")
        }
        guard let secret = values["secret"] ?? values["api_secret"] ?? values[secretVariable], !secret.isEmpty else {
            throw CredentialsError(
                source: source, reason: "has no API secret (JSON \"secret\" or a \(secretVariable)= line)")
        }
        return APICredentials(key: key, secret: secret)
    }
}

/// A credentials file read into names and values, never shown: JSON (the top-level object's members) or
/// lines `NAME=value` as a shell would source them (`#` comments, optional quotes, optional `export`).
enum CredentialsFile {
    /// The file's names and values.
    ///
    /// - Throws: ``CredentialsError`` naming the file when it cannot be read or is not UTF-8 or valid JSON;
    ///   never its content.
    static func read(_ url: URL) throws -> [String: String] {
        let source = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CredentialsError(source: source, reason: "cannot be read (\(Self.reason(for: error)))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CredentialsError(source: source, reason: "is not UTF-8 text")
        }
        return text.trimmingSpaces().hasPrefix("{") ? try jsonValues(text, source: source) : envValues(text)
    }

    private static func jsonValues(_ text: String, source: String) throws -> [String: String] {
        let tree: APIValue
        do {
            tree = try JSONAnswerFormat().decode(Array(text.utf8))
        } catch let error as AnswerDecodingError {
            // The decoder's message may quote the content; say only where it broke.
            throw CredentialsError(
                source: source, reason: "is not valid JSON (\(error.code) at byte \(error.offset ?? 0))")
        }
        var values: [String: String] = [:]
        for member in tree.objectValue?.members ?? [] {
            if let text = member.value.text { values[member.key] = text }
        }
        return values
    }

    private static func envValues(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            values[name] = value
        }
        return values
    }

    private static func reason(for error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}

/// Credentials that could not be read. Says where from and what is wrong; never shows the secret.
public struct CredentialsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `environment`, or the path of the file.
    public var source: String
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    /// The text shown in messages and logs.
    public var description: String {
        source == "environment" ? "credentials: \(reason)" : "credentials file \(source) \(reason)"
    }
}
