import Foundation

/// The `link` block of a create or update answer: the parts of the URL to send the file to.
///
/// For the regular method the query holds `key` and `token`; for the S3 method it holds
/// `AWSAccessKeyId`, `Expires` and `Signature`. The token and the signature are secrets: this type's
/// description redacts them.
public struct UploadLink: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// `http` or `https`, as the answer says.
    public var scheme: String
    /// The host, with a port when there is one (`upload.jwplatform.com`, `127.0.0.1:8080`).
    public var address: String
    /// The path, e.g. `/v1/videos/upload`.
    public var path: String
    /// The query members, in the order of the answer.
    public var query: [APIParameters.Parameter]

    /// Creates a link.
    public init(scheme: String, address: String, path: String, query: [APIParameters.Parameter]) {
        self.scheme = scheme
        self.address = address
        self.path = path
        self.query = query
    }

    /// Reads a link block.
    ///
    /// - Throws: ``AnswerShapeError`` when `protocol`, `address`, `path` or `query` is missing.
    public init(_ block: AnswerReader) throws {
        self.scheme = try block.string("protocol").lowercased()
        self.address = try block.string("address")
        self.path = try block.string("path")
        let query = try block.required("query")
        guard case .object(let members) = query.value else { throw query.mismatch("an object") }
        self.query = try members.map { member in
            guard let text = member.value.text else {
                throw AnswerShapeError(
                    call: block.call, path: query.path + "." + member.key, expected: "text",
                    seen: AnswerReader.kind(of: member.value))
            }
            return APIParameters.Parameter(name: member.key, value: text)
        }
        guard ["http", "https"].contains(scheme) else {
            throw AnswerShapeError(
                call: block.call, path: block.path + ".protocol", expected: "http or https",
                seen: scheme.debugDescription)
        }
        guard Self.isHostAndPort(address) else {
            throw AnswerShapeError(
                call: block.call, path: block.path + ".address", expected: "a host with an optional port",
                seen: address.debugDescription)
        }
        guard path.hasPrefix("/"), !path.contains(where: { "?#@\\".contains($0) || $0.isWhitespace }) else {
            throw AnswerShapeError(
                call: block.call, path: block.path + ".path", expected: "an absolute path without query",
                seen: path.debugDescription)
        }
    }

    /// Whether `address` is `host`, `host:port` or `[v6]:port` and nothing else: no user, path or query
    /// that could send the file, or the loopback exception of the https rule, somewhere unexpected.
    /// On the UTF-8 bytes: `CharacterSet` per character cost half a percent of a small item's CPU (issue 14).
    static func isHostAndPort(_ address: String) -> Bool {
        let bytes = address.utf8
        guard !bytes.isEmpty, bytes.count <= 255 else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"),
                UInt8(ascii: "["), UInt8(ascii: "]"):
                true
            default: false
            }
        }
    }

    /// The value of query member `name`.
    public subscript(query name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// The link's `query.key`, which need not equal the media key.
    public var key: String? { self[query: "key"] }
    /// The upload token (a secret).
    public var token: String? { self[query: "token"] }
    /// Whether the link is an S3 presigned one.
    public var isS3: Bool { self[query: "Signature"] != nil && self[query: "AWSAccessKeyId"] != nil }

    /// The text shown in messages and logs.
    public var description: String {
        let shown = query.map { "\($0.name)=\(Redaction.isSecretParameter($0.name) ? "<redacted>" : $0.value)" }
        return "\(scheme)://\(address)\(path)?\(shown.joined(separator: "&"))"
    }

    /// The text shown by debuggers: secrets redacted.
    public var debugDescription: String { description }
    /// What `dump` and debuggers show: secrets redacted.
    public var customMirror: Mirror { Mirror(self, children: ["link": description]) }
}

/// Links are kept in an ingest's journal so an interrupted run can use an unused one; its token stays in
/// the encoded form (the journal is not output), while `description` redacts it.
extension UploadLink: Codable {}
