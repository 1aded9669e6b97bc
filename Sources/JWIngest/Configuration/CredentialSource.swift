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
        case explicit(APICredentials, V2Credentials?)
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
        CredentialSource(kind: .explicit(credentials, nil))
    }

    /// Credentials the program has itself, for v1 and v2 (the embedded sandbox's).
    public static func explicit(_ credentials: APICredentials, v2: V2Credentials) -> CredentialSource {
        CredentialSource(kind: .explicit(credentials, v2))
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
        case .explicit(let credentials, _):
            return credentials
        }
    }

    /// The v2 credentials from the same place: `JW_SITE_ID` and `JW_V2_API_SECRET`, or the file's
    /// `site_id` and `v2_secret`; `nil` when the environment holds none, or when credentials given
    /// explicitly have no v2 part.
    ///
    /// - Throws: `CredentialsError` for a file that cannot be read or holds no site id and v2 secret, or an
    ///   environment with only one of the two.
    public func resolveV2() throws -> V2Credentials? {
        switch kind {
        case .environment(let variables):
            return try V2Credentials.fromEnvironment(variables ?? ProcessInfo.processInfo.environment)
        case .file(let url):
            return try V2Credentials.load(from: url)
        case .explicit(_, let v2):
            return v2
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
        case .explicit(let credentials, _): return "\(credentials)"
        }
    }

    /// The text shown in messages about v2 credentials.
    public var v2Description: String {
        switch kind {
        case .environment: return "JW_SITE_ID and JW_V2_API_SECRET"
        case .file(let url): return "the credentials file \(url.path)"
        case .explicit(_, let v2): return v2.map { "\($0)" } ?? "the credentials given (no v2 site id and secret)"
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
    /// The v2 property (site) of these credentials.
    case v2Account(V2Credentials)
    /// Nothing names an account: a local sandbox may be used.
    case sandbox

    /// The account a journal is kept for: the API key, or the v2 site id; `nil` for the sandbox.
    public var accountKey: String? {
        switch self {
        case .account(let credentials): return credentials.key
        case .v2Account(let credentials): return credentials.siteID
        case .sandbox: return nil
        }
    }

    /// Chooses from the credentials' source and whether an endpoint was named.
    ///
    /// - Parameters:
    ///   - source: Where the credentials come from.
    ///   - endpointGiven: Whether an endpoint was named (then the sandbox is never chosen).
    ///   - api: The generation the run speaks: v1 looks for a key and secret, v2 for a site id and v2
    ///     secret.
    /// - Throws: `CredentialsError` when the source cannot be read, or when no credentials are found
    ///   although `source` is explicit or `endpointGiven`.
    public static func choose(
        _ source: CredentialSource, endpointGiven: Bool, api: APIGeneration = .v1
    ) throws -> AccountChoice {
        switch api {
        case .v1:
            if let credentials = try source.resolve() { return .account(credentials) }
        case .v2:
            if let credentials = try source.resolveV2() { return .v2Account(credentials) }
        }
        guard !source.isExplicit, !endpointGiven else {
            let variables = api == .v2 ? "JW_SITE_ID and JW_V2_API_SECRET" : "JW_API_KEY and JW_API_SECRET"
            throw CredentialsError(
                source: api == .v2 ? source.v2Description : source.description,
                reason: "no \(api == .v2 ? "v2 " : "")credentials: set \(variables), or pass --credentials FILE (with "
                    + "--endpoint or --credentials a run never falls back to the local sandbox)")
        }
        return .sandbox
    }
}
