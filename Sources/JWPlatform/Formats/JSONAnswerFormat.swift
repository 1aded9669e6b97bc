/// The `json` answer format: RFC 8259 JSON, read and written by hand.
///
/// The reader keeps the order of object members, tells integers from floating-point numbers and enforces
/// ``DecodingLimits`` without recursion:
///
/// - A number without fraction or exponent that fits in `Int64` is an ``APIValue/int(_:)``; any other
///   number is an ``APIValue/double(_:)``. A number beyond the range of `Double` is refused.
/// - Strings must be valid UTF-8 without raw control characters; `\uD83D\uDE00` surrogate pairs are
///   joined, a lone surrogate is refused.
/// - A UTF-8 byte order mark and whitespace around the value are accepted; anything else after the value
///   is ``AnswerDecodingError/Code/trailingData``.
/// - A repeated member name keeps its first position and its last value.
///
/// The writer gives compact JSON with members in order, `/` unescaped and control characters as
/// `\u00XX`; a double is written in the shortest form that reads back as the same number (`1.5`, `1e+25`).
/// A round trip gives back the same tree, so ``normalized(_:)`` is the identity.
///
/// ```swift
/// let value = try JSONAnswerFormat().decode(Array(#"{"status":"ok"}"#.utf8))
/// ```
public struct JSONAnswerFormat: AnswerFormat {
    /// The limits the reader enforces.
    public var limits: DecodingLimits

    /// Creates the format.
    ///
    /// - Parameter limits: The limits the reader enforces; ``DecodingLimits/standard`` when not given.
    public init(limits: DecodingLimits = .standard) {
        self.limits = limits
    }

    /// `json`.
    public var name: AnswerFormatName { .json }

    /// Reads one JSON text.
    ///
    /// - Parameter bytes: The whole body.
    /// - Returns: The tree the body carries.
    /// - Throws: ``AnswerDecodingError``: ``AnswerDecodingError/Code/syntax``,
    ///   ``AnswerDecodingError/Code/truncated`` (also for an empty body),
    ///   ``AnswerDecodingError/Code/invalidUTF8``, ``AnswerDecodingError/Code/tooDeep``,
    ///   ``AnswerDecodingError/Code/tooLarge`` (body or value count over the limits),
    ///   ``AnswerDecodingError/Code/unsupported`` (a number beyond `Double`),
    ///   ``AnswerDecodingError/Code/trailingData``.
    public func decode(_ bytes: [UInt8]) throws -> APIValue {
        guard bytes.count <= limits.maxBytes else {
            throw AnswerDecodingError(
                format: .json, code: .tooLarge,
                message: "the body holds \(bytes.count) bytes, more than the limit of \(limits.maxBytes)")
        }
        return try bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(bytes: buffer, limits: limits)
            return try reader.readDocument()
        }
    }

    /// Writes `value` as compact JSON.
    ///
    /// - Parameter value: The tree to write; any value may be the root.
    /// - Returns: The UTF-8 bytes of the JSON text.
    /// - Throws: ``AnswerEncodingError`` for a NaN or infinite double, with its path.
    public func encode(_ value: APIValue) throws -> [UInt8] {
        var writer = JSONWriter()
        try writer.write(value)
        return writer.output
    }
}
