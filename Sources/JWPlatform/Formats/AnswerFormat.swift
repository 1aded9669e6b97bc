/// A way of writing an ``APIValue`` tree as bytes: the `api_format` of a call.
///
/// The client decodes answers with it; the sandbox encodes them with it. Conform a type of your own and
/// add it to an ``AnswerFormatRegistry`` to use a format the package does not ship.
public protocol AnswerFormat: Sendable {
    /// The value of `api_format` that asks for this format.
    var name: AnswerFormatName { get }

    /// Reads one answer.
    ///
    /// - Parameter bytes: The whole body of the answer.
    /// - Returns: The tree the body carries.
    /// - Throws: ``AnswerDecodingError`` when the body is not well formed in this format, breaks a limit,
    ///   or uses a construct the reader refuses (entities, objects, code).
    func decode(_ bytes: [UInt8]) throws -> APIValue

    /// Writes one answer.
    ///
    /// - Parameter value: The tree to write.
    /// - Returns: The bytes of the body.
    /// - Throws: ``AnswerEncodingError`` when the format cannot carry the value (a non-finite number in
    ///   JSON, a member name that is not an XML name).
    func encode(_ value: APIValue) throws -> [UInt8]

    /// The tree that a round trip through this format gives back for `value`.
    ///
    /// Formats that carry no types (XML) or cannot tell an empty list from an empty object (PHP) give
    /// back a normalized tree; the default is `value` itself.
    func normalized(_ value: APIValue) -> APIValue
}

extension AnswerFormat {
    /// The tree as this format gives it back (unchanged by default).
    public func normalized(_ value: APIValue) -> APIValue { value }
}

/// The name of an answer format, as sent in `api_format`.
///
/// An open set: the four names of the platform are static members, and any other name can be made
/// from a string for a format registered by the user.
public struct AnswerFormatName: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The name, as written in manifests, answers and reports.
    public var rawValue: String
    /// Creates a value named `rawValue`.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// A name written as a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The text shown in messages and logs.
    public var description: String { rawValue }

    /// JSON.
    public static let json: AnswerFormatName = "json"
    /// XML with a `<response>` root, read through libxml2.
    public static let xml: AnswerFormatName = "xml"
    /// PHP `serialize()`.
    public static let php: AnswerFormatName = "php"
    /// A Python pickle of plain data.
    public static let py: AnswerFormatName = "py"
}

/// Limits that every reader enforces, so that a hostile answer is refused quickly instead of exhausting
/// memory or the stack.
public struct DecodingLimits: Sendable, Hashable {
    /// The largest body accepted, in bytes.
    public var maxBytes: Int
    /// The deepest nesting of arrays and objects accepted.
    public var maxDepth: Int
    /// The most values (scalars, arrays and objects together) one answer may hold.
    public var maxValues: Int

    /// Creates limits; the defaults are far above any real answer (a `/videos/list` page of 1,000 videos
    /// is under 2 MB and 10 levels deep).
    public init(maxBytes: Int = 16 << 20, maxDepth: Int = 128, maxValues: Int = 1_000_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxValues = maxValues
    }

    /// The limits used when none are given.
    public static let standard = DecodingLimits()
}
