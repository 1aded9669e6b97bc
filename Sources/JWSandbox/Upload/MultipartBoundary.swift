/// The boundary that separates the parts of a `multipart/form-data` body.
///
/// RFC 2046 §5.1.1: 1 to 70 characters from `0-9 A-Z a-z ' ( ) + _ , - . / : = ?` and space, not ending
/// in a space. Read it from the request's `Content-Type` with ``init(contentType:)``.
public struct MultipartBoundary: Sendable, Hashable, CustomStringConvertible {
    /// The boundary as sent, without the leading `--`.
    public let value: String

    /// The boundary's bytes (ASCII).
    var bytes: [UInt8] { Array(value.utf8) }

    /// The longest boundary RFC 2046 allows.
    public static let maximumLength = 70

    /// Creates a boundary from its text.
    ///
    /// - Parameter value: The boundary, without the leading `--`.
    /// - Throws: ``MultipartError`` with ``MultipartError/Code/invalidBoundary`` if the text is empty,
    ///   longer than ``maximumLength``, ends in a space, or holds a character outside RFC 2046's set.
    public init(_ value: String) throws {
        let bytes = Array(value.utf8)
        guard !bytes.isEmpty else {
            throw MultipartError(code: .invalidBoundary, message: "the boundary is empty")
        }
        guard bytes.count <= Self.maximumLength else {
            throw MultipartError(
                code: .invalidBoundary,
                message: "the boundary has \(bytes.count) characters, at most \(Self.maximumLength) are allowed"
            )
        }
        if let bad = bytes.first(where: { !Self.isBoundaryCharacter($0) }) {
            throw MultipartError(
                code: .invalidBoundary,
                message: "the boundary '\(value)' holds \(MultipartByte.describe(bad)), which RFC 2046 does not allow"
            )
        }
        guard bytes.last != MultipartByte.space else {
            throw MultipartError(code: .invalidBoundary, message: "the boundary '\(value)' ends in a space")
        }
        self.value = value
    }

    /// Reads the boundary from a request's `Content-Type` header value.
    ///
    /// Accepts `multipart/form-data; boundary="abc"` and `multipart/form-data; boundary=abc`, in any case
    /// for the media type and the parameter name, with other parameters around it.
    ///
    /// - Parameter contentType: The value of the `Content-Type` header.
    /// - Throws: ``MultipartError`` with ``MultipartError/Code/notFormData`` if the media type is not
    ///   `multipart/form-data` or the value is malformed, ``MultipartError/Code/missingBoundary`` if there
    ///   is no `boundary` parameter, ``MultipartError/Code/invalidBoundary`` as ``init(_:)`` does.
    public init(contentType: String) throws {
        let header = try MultipartHeaderValue(parsing: contentType, header: "Content-Type", code: .notFormData)
        guard header.type == "multipart/form-data" else {
            throw MultipartError(
                code: .notFormData,
                message: "Content-Type '\(contentType)' is not multipart/form-data"
            )
        }
        guard let boundary = header[parameter: "boundary"] else {
            throw MultipartError(
                code: .missingBoundary,
                message: "Content-Type '\(contentType)' has no boundary parameter"
            )
        }
        try self.init(boundary)
    }

    public var description: String { value }

    private static func isBoundaryCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "a")...UInt8(ascii: "z"):
            return true
        default:
            return Array("'()+_,-./:=? ".utf8).contains(byte)
        }
    }
}
