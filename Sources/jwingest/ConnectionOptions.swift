import ArgumentParser
import AsyncHTTPClient
import Foundation
import JWIngest
import JWPlatform

/// Options that say which account and endpoint to talk to; shared by every command that calls the API.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A file with the API key and secret (JSON {\"key\",\"secret\"} or JW_API_KEY=/JW_API_SECRET= lines).",
            discussion:
                "Without it, JW_API_KEY and JW_API_SECRET are read from the environment. For --api v2 the file holds {\"site_id\",\"v2_secret\"} (or JW_SITE_ID=/JW_V2_API_SECRET= lines), else those variables are read.",
            valueName: "file"))
    var credentials: String?

    @Option(
        name: .customLong("endpoint"),
        help: ArgumentHelp(
            "The API endpoint (default: https://api.jwplatform.com; with --api v2, https://api.jwplayer.com).",
            valueName: "url"))
    var givenEndpoint: String?

    /// The endpoint given, or the platform's.
    var endpoint: String { givenEndpoint ?? APIClientConfiguration.defaultEndpoint }

    /// Whether the command line names an account or an endpoint: then a run never falls back to the
    /// embedded sandbox, whatever the value (even the default endpoint written out).
    var namesAnAccount: Bool { givenEndpoint != nil || credentials != nil }

    @Flag(name: .long, help: "Keep plain http for endpoints and upload links that are not on loopback.")
    var allowPlainHttp = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also trust the certificate authorities of this PEM file (a company proxy's, a sandbox's --tls).",
            valueName: "file"))
    var caFile: String?

    /// The HTTP client these options ask for: the shared one, or one that also trusts `--ca-file`.
    func httpClient() throws -> HTTPClient {
        guard let caFile else { return JWPlatformHTTPClient.shared }
        return try JWPlatformHTTPClient.trusting(caFile: URL(fileURLWithPath: caFile))
    }

    /// Where the credentials come from: `--credentials`, else the environment.
    var credentialSource: CredentialSource {
        credentials.map { .file(URL(fileURLWithPath: $0)) } ?? .environment
    }

    /// The API key alone, for commands that call nothing but find a run by its account: from
    /// `--credentials` or the environment (`JW_API_KEY`, the secret not needed); `nil` when neither gives one.
    var accountKey: String? {
        if let key = (try? loadCredentials())??.key { return key }
        guard credentials == nil, let key = ProcessInfo.processInfo.environment["JW_API_KEY"], !key.isEmpty else {
            return nil
        }
        return key
    }

    /// The credentials from `--credentials`, else from the environment, else `nil`.
    func loadCredentials() throws -> APICredentials? { try credentialSource.resolve() }

    /// The v2 credentials from `--credentials` (`site_id`, `v2_secret`), else from the environment
    /// (`JW_SITE_ID`, `JW_V2_API_SECRET`), else `nil`.
    func loadV2Credentials() throws -> V2Credentials? { try credentialSource.resolveV2() }

    /// The endpoint given, or the platform's v2 one.
    var v2Endpoint: String { givenEndpoint ?? V2Client.defaultEndpoint }

    /// The endpoint a run of `api` talks to (and its journal is kept for).
    func endpoint(api: APIGeneration) -> String { api == .v2 ? v2Endpoint : endpoint }

    /// The account a run of `api` is kept for: the API key (``accountKey``) on v1, the site id on v2
    /// (`JW_SITE_ID` or the file's `site_id`; the secret is not needed).
    func accountKey(api: APIGeneration) -> String? {
        guard api == .v2 else { return accountKey }
        if let site = (try? loadV2Credentials())??.siteID { return site }
        guard credentials == nil, let site = ProcessInfo.processInfo.environment["JW_SITE_ID"], !site.isEmpty else {
            return nil
        }
        return site
    }

    /// The https rule these options ask for.
    var security: TransportSecurity { allowPlainHttp ? .allowingPlainHTTP : .strict }
}

/// A usage error that `jwingest` reports with exit status 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
}
