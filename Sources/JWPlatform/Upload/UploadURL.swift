import Foundation

/// A URL that carries a secret (an upload token, an S3 signature).
///
/// ``url`` is the real text to send; ``description`` shows it with the secrets redacted, so the value
/// can be logged or put in an error as it is.
public struct UploadURL: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The full URL, secrets included. Send it; never print it.
    public var url: String

    /// Wraps a URL.
    public init(_ url: String) { self.url = url }

    /// The URL with the secrets redacted.
    public var description: String { Redaction.redact(url: url) }
    /// The text shown by debuggers: secrets redacted.
    public var debugDescription: String { description }
    /// What `dump` and debuggers show: secrets redacted.
    public var customMirror: Mirror { Mirror(self, children: ["url": description]) }
}

/// Where the upload server sends the browser after an upload (API.md §3).
public struct UploadRedirect: Sendable, Hashable {
    /// `http(s)://host/path`.
    public var address: String
    /// Parameters copied into the redirect's query; names are unique.
    public var query: [APIParameters.Parameter]
    /// `true` appends `/<key>` to the redirect path; `false` adds `video_key=<key>`; `nil` leaves the
    /// server's default (`false`) and sends nothing.
    public var keyInPath: Bool?

    /// Creates a redirect.
    public init(address: String, query: [APIParameters.Parameter] = [], keyInPath: Bool? = nil) {
        self.address = address
        self.query = query
        self.keyInPath = keyInPath
    }
}

/// A link block that cannot give an upload URL, or redirect options the server would refuse.
public struct UploadURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(reason: String) { self.reason = reason }

    /// The text shown in messages and logs.
    public var description: String { "cannot build the upload URL: \(reason)" }
}

/// Builds the URLs of API.md §3–§5 from a link block.
public enum UploadURLBuilder {
    /// The URL for the regular (multipart form) method:
    /// `<scheme>://<address><path>?api_format=…&key=…[&redirect_address=…][&redirect_query.<n>=…]…`
    /// `[&key_in_path=True|False]&token=…`, every value percent-encoded.
    ///
    /// - Parameters:
    ///   - link: The link block of a create or update answer.
    ///   - format: The format the upload server should answer in.
    ///   - redirect: Redirect options, or `nil`.
    ///   - security: The https rule.
    /// - Throws: ``UploadURLError`` when the link has no key or token, the redirect address is not
    ///   `http(s)://…`, or a redirect parameter name repeats.
    public static func formUpload(
        link: UploadLink, format: AnswerFormatName, redirect: UploadRedirect? = nil,
        security: TransportSecurity = .strict
    ) throws -> UploadURL {
        guard let key = link.key, !key.isEmpty else { throw UploadURLError(reason: "the link has no query.key") }
        guard let token = link.token, !token.isEmpty else {
            throw UploadURLError(reason: "the link has no query.token")
        }
        var query = APIParameters()
        query.append("api_format", format.rawValue)
        query.append("key", key)
        if let redirect {
            let parts = URLComponents(string: redirect.address)
            guard let scheme = parts?.scheme?.lowercased(), ["http", "https"].contains(scheme),
                let host = parts?.host, !host.isEmpty
            else {
                throw UploadURLError(
                    reason: "redirect address \(redirect.address.debugDescription) is not http(s)://host/path")
            }
            query.append("redirect_address", redirect.address)
            var seen: Set<String> = []
            for parameter in redirect.query {
                guard seen.insert(parameter.name).inserted else {
                    throw UploadURLError(
                        reason: "redirect_query.\(parameter.name) is given twice; names must be unique")
                }
                query.append("redirect_query.\(parameter.name)", parameter.value)
            }
            if let keyInPath = redirect.keyInPath { query.append("key_in_path", keyInPath) }
        }
        query.append("token", token)
        return UploadURL(base(link, security: security) + link.path + "?" + query.encodedQuery)
    }

    /// The presigned URL for the S3 method (API.md §4):
    /// `<scheme>://<address><path>?AWSAccessKeyId=…&Expires=…&Signature=…`.
    ///
    /// - Throws: ``UploadURLError`` when one of the three query members is missing.
    public static func s3Upload(link: UploadLink, security: TransportSecurity = .strict) throws -> UploadURL {
        var query = APIParameters()
        for name in ["AWSAccessKeyId", "Expires", "Signature"] {
            guard let value = link[query: name], !value.isEmpty else {
                throw UploadURLError(reason: "the S3 link has no query.\(name)")
            }
            query.append(name, value)
        }
        return UploadURL(base(link, security: security) + link.path + "?" + query.encodedQuery)
    }

    /// The progress URL (API.md §5): `<scheme>://<address>/progress?token=…&callback=…`.
    ///
    /// - Throws: ``UploadURLError`` when the link has no token.
    public static func progress(
        link: UploadLink, callback: String = "callback", security: TransportSecurity = .strict
    ) throws -> UploadURL {
        guard let token = link.token, !token.isEmpty else {
            throw UploadURLError(reason: "the link has no query.token")
        }
        let query: APIParameters = ["token": token, "callback": callback]
        return UploadURL(base(link, security: security) + "/progress?" + query.encodedQuery)
    }

    private static func base(_ link: UploadLink, security: TransportSecurity) -> String {
        security.scheme(link.scheme, address: link.address) + "://" + link.address
    }
}
