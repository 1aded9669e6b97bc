import Foundation
import JWPlatform

/// Where a run's API key and secret come from.
///
/// ```swift
/// configuration.credentials = .environment             // JW_API_KEY and JW_API_SECRET (the default)
/// configuration.credentials = .file(URL(fileURLWithPath: "/run/secrets/jw.json"))
/// configuration.credentials = .explicit(APICredentials(key: key, secret: secret))
/// ```
public struct CredentialSource: Sendable, CustomStringConvertible {
    enum Kind: Sendable {
        case environment([String: String]?)
        case file(URL)
        case explicit(APICredentials)
    }

    let kind: Kind

    /// `JW_API_KEY` and `JW_API_SECRET` of this process's environment.
    public static let environment = CredentialSource(kind: .environment(nil))

    /// `JW_API_KEY` and `JW_API_SECRET` of `variables` (tests, or an environment of one's own).
    public static func environment(_ variables: [String: String]) -> CredentialSource {
        CredentialSource(kind: .environment(variables))
    }

    /// A file: JSON `{"key": "…", "secret": "…"}` or shell lines `JW_API_KEY=…` / `JW_API_SECRET=…`.
    public static func file(_ url: URL) -> CredentialSource { CredentialSource(kind: .file(url)) }

    /// Credentials the program has itself.
    public static func explicit(_ credentials: APICredentials) -> CredentialSource {
        CredentialSource(kind: .explicit(credentials))
    }

    /// The credentials, or `nil` when the environment holds none.
    ///
    /// - Throws: `CredentialsError` for a file that cannot be read or holds no key and secret, or an
    ///   environment with only one of the two.
    public func resolve() throws -> APICredentials? {
        switch kind {
        case .environment(let variables):
            return try APICredentials.fromEnvironment(variables ?? ProcessInfo.processInfo.environment)
        case .file(let url):
            return try APICredentials.load(from: url)
        case .explicit(let credentials):
            return credentials
        }
    }

    /// The v2 credentials from the same place: `JW_SITE_ID` and `JW_V2_API_SECRET`, or the file's
    /// `site_id` and `v2_secret`; `nil` when the environment holds none, or for v1 credentials given
    /// explicitly.
    ///
    /// - Throws: `CredentialsError` for a file that cannot be read or holds no site id and v2 secret, or an
    ///   environment with only one of the two.
    public func resolveV2() throws -> V2Credentials? {
        switch kind {
        case .environment(let variables):
            return try V2Credentials.fromEnvironment(variables ?? ProcessInfo.processInfo.environment)
        case .file(let url):
            return try V2Credentials.load(from: url)
        case .explicit:
            return nil
        }
    }

    /// Whether it names an account explicitly (a file, or credentials given), rather than looking in the
    /// environment.
    public var isExplicit: Bool {
        if case .environment = kind { return false }
        return true
    }

    /// The text shown in messages and logs.
    public var description: String {
        switch kind {
        case .environment: return "JW_API_KEY and JW_API_SECRET"
        case .file(let url): return "the credentials file \(url.path)"
        case .explicit(let credentials): return "\(credentials)"
        }
    }
}

/// What a command line's credentials and endpoint mean: the account to ingest into, or the embedded
/// sandbox, which is only for a first try. A job that names an endpoint or a credentials file but has no
/// usable credentials (a Secret that was not mounted) is an error, never the sandbox: it must not report
/// success against a throw-away server.
public enum AccountChoice: Sendable {
    /// The account of these credentials.
    case account(APICredentials)
    /// Nothing names an account: a local sandbox may be used.
    case sandbox

    /// Chooses from the credentials' source and whether an endpoint was named.
    ///
    /// - Throws: `CredentialsError` when the source cannot be read, or when no credentials are found
    ///   although `source` is explicit or `endpointGiven`.
    public static func choose(_ source: CredentialSource, endpointGiven: Bool) throws -> AccountChoice {
        if let credentials = try source.resolve() { return .account(credentials) }
        guard !source.isExplicit, !endpointGiven else {
            throw CredentialsError(
                source: source.description,
                reason: "no credentials: set JW_API_KEY and JW_API_SECRET, or pass --credentials FILE (with "
                    + "--endpoint or --credentials a run never falls back to the local sandbox)")
        }
        return .sandbox
    }
}
