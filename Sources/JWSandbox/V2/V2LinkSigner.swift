import Crypto
import Foundation
import JWPlatform

/// Makes and checks the presigned `PUT` links of v2 uploads, shaped like S3's (SigV4 query parameters)
/// and signed with a key only this sandbox knows.
///
/// The signature covers the method, the path, every query parameter and, when `X-Amz-SignedHeaders`
/// names it, the `Content-Type` of the request: a link made for a `mime_type` needs exactly that
/// `Content-Type`, a link made without one needs none. Nothing is stored per link, so the 10,000 part
/// links of a multipart upload cost nothing until they are used.
struct V2LinkSigner: Sendable {
    /// The secret of the signatures, 32 random bytes for each sandbox.
    let key: [UInt8]
    /// The access key the links name (`X-Amz-Credential`).
    let accessKey: String
    /// How long a link is valid, in seconds (at most 7 days, as S3's presigned URLs).
    let lifetime: Int

    init(accessKey: String, lifetime: TimeInterval) {
        key = (0..<32).map { _ in UInt8.random(in: 0...255) }
        self.accessKey = accessKey
        self.lifetime = max(1, min(604_800, Int(lifetime.rounded(.down))))
    }

    /// `<scheme>://<address><path>?X-Amz-…&X-Amz-Signature=…`, issued at `date`.
    ///
    /// - Parameters:
    ///   - scheme: `https` when the sandbox serves TLS, else `http`.
    ///   - mimeType: The `Content-Type` the `PUT` must carry, or `nil` for none.
    func link(scheme: String, path: String, address: String, mimeType: String?, at date: Date) -> String {
        let stamp = V2Timestamps.amzDate(date)
        var query = APIParameters()
        query.append("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
        query.append("X-Amz-Credential", "\(accessKey)/\(stamp.prefix(8))/sandbox/s3/aws4_request")
        query.append("X-Amz-Date", stamp)
        query.append("X-Amz-Expires", String(lifetime))
        query.append("X-Amz-SignedHeaders", mimeType == nil ? "host" : "content-type;host")
        query.append("X-Amz-Signature", signature(path: path, query: query, contentType: mimeType))
        return "\(scheme)://\(address)\(path)?\(query.encodedQuery)"
    }

    /// What a check of a presigned `PUT` found.
    enum Verdict: Sendable, Hashable {
        case valid
        /// The signature does not match the path, query or `Content-Type`.
        case mismatch
        /// The link is past `X-Amz-Date` + `X-Amz-Expires`.
        case expired
    }

    /// Checks the link a `PUT` used: its signature (with `contentType`, when the link signed it) and its
    /// expiry.
    func check(path: String, query: APIParameters, contentType: String?, now: Date) -> Verdict {
        guard let given = query["X-Amz-Signature"], query.filter({ $0.name == "X-Amz-Signature" }).count == 1,
            query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256",
            let issued = query["X-Amz-Date"].flatMap(V2Timestamps.parseAmzDate),
            let expires = query["X-Amz-Expires"].flatMap({ Int($0) })
        else { return .mismatch }
        var unsigned = APIParameters()
        for parameter in query where parameter.name != "X-Amz-Signature" {
            unsigned.append(parameter.name, parameter.value)
        }
        let signsType = Self.signedHeaders(query).contains("content-type")
        let expected = signature(path: path, query: unsigned, contentType: signsType ? (contentType ?? "") : nil)
        guard Self.constantTimeEqual(given, expected) else { return .mismatch }
        return now.timeIntervalSince(issued) > Double(expires) ? .expired : .valid
    }

    /// The lower-case header names `X-Amz-SignedHeaders` lists.
    static func signedHeaders(_ query: APIParameters) -> [String] {
        (query["X-Amz-SignedHeaders"] ?? "").lowercased().split(separator: ";").map(String.init)
    }

    /// The hex HMAC-SHA256 of the canonical request: method, path, the sorted query, the signed type.
    private func signature(path: String, query: APIParameters, contentType: String?) -> String {
        let sorted = query.sorted { ($0.name, $0.value) < ($1.name, $1.value) }
            .map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }
        let canonical = ["PUT", path, sorted.joined(separator: "&"), contentType.map { "content-type:\($0)" } ?? ""]
            .joined(separator: "\n")
        let code = HMAC<SHA256>.authenticationCode(for: Data(canonical.utf8), using: SymmetricKey(data: key))
        return code.withUnsafeBytes { Hex.encode($0) }
    }

    static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
