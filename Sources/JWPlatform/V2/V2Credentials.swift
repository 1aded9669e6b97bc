import Foundation

/// The site id and v2 API secret of a JW Platform property, for the v2 Management API.
///
/// Read them from the environment (``fromEnvironment(_:)``: `JW_SITE_ID`, `JW_V2_API_SECRET`) or from a
/// file (``load(from:)``). The secret is an ``APISecret``: nothing this type prints shows it. Every v2 call
/// sends it as `Authorization: Bearer <secret>`.
public struct V2Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The property's site id (public: it is part of every path, `/v2/sites/{site_id}/…`).
    public var siteID: String
    /// The v2 API secret (sent only in the `Authorization` header, never printed).
    public var secret: APISecret

    /// Creates credentials.
    public init(siteID: String, secret: APISecret) {
        self.siteID = siteID
        self.secret = secret
    }

    /// Creates credentials from a site id and the secret's text.
    public init(siteID: String, secret: String) {
        self.init(siteID: siteID, secret: APISecret(secret))
    }

    /// The text shown in messages and logs.
    public var description: String { "V2Credentials(site: \(siteID), secret: <redacted>)" }
    /// The text shown by debuggers: secrets redacted.
    public var debugDescription: String { description }

    /// The names of the environment variables that hold the site id and the secret.
    public static let siteVariable = "JW_SITE_ID"
    /// See ``siteVariable``.
    public static let secretVariable = "JW_V2_API_SECRET"

    /// Whether `siteID` can stand in a path: 1 to 64 letters and digits.
    public static func isValidSiteID(_ siteID: String) -> Bool {
        (1...64).contains(siteID.utf8.count)
            && siteID.utf8.allSatisfy { (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }
    }

    /// The credentials in `JW_SITE_ID` and `JW_V2_API_SECRET`, or `nil` when neither is set.
    ///
    /// - Throws: ``CredentialsError`` when only one of the two is set, one is empty, or the site id is not
    ///   letters and digits.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> V2Credentials? {
        let site = environment[siteVariable]
        let secret = environment[secretVariable]
        if site == nil && secret == nil { return nil }
        return try validated(site: site, secret: secret, source: "environment") {
            "\($0 == "site" ? siteVariable : secretVariable) is empty or not set; set both or neither"
        }
    }

    /// Reads credentials from a file: JSON `{"v2_secret": "…", "site_id": "…"}` (also `secret`), or lines
    /// `JW_SITE_ID=…` and `JW_V2_API_SECRET=…` as a shell would source them.
    ///
    /// - Throws: ``CredentialsError`` naming the file and what is missing; never its content.
    public static func load(from url: URL) throws -> V2Credentials {
        let values = try CredentialsFile.read(url)
        let site = values["site_id"] ?? values[siteVariable]
        let secret = values["v2_secret"] ?? values[secretVariable] ?? values["secret"]
        return try validated(site: site, secret: secret, source: url.path) {
            $0 == "site"
                ? "has no site id (JSON \"site_id\" or a \(siteVariable)= line)"
                : "has no v2 API secret (JSON \"v2_secret\" or a \(secretVariable)= line)"
        }
    }

    private static func validated(
        site: String?, secret: String?, source: String, missing: (String) -> String
    ) throws -> V2Credentials {
        guard let site, !site.isEmpty else { throw CredentialsError(source: source, reason: missing("site")) }
        guard let secret, !secret.isEmpty else { throw CredentialsError(source: source, reason: missing("secret")) }
        guard isValidSiteID(site) else {
            throw CredentialsError(
                source: source, reason: "the site id \(site.debugDescription) is not letters and digits")
        }
        return V2Credentials(siteID: site, secret: secret)
    }
}
