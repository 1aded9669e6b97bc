/// A `multipart/form-data` body, or the `Content-Type` that announces it, that the parser refused.
///
/// Carries what went wrong as an open ``Code``, where in the body (a byte offset, when the fault is in the
/// body), and a message that says what was expected and what was seen. None of these faults goes away on
/// a retry of the same bytes: the upload server answers them as a bad request.
public struct MultipartError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of fault the parser found. An open set: new codes may be added.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The `Content-Type` is not `multipart/form-data`.
        public static let notFormData = Code(rawValue: "not-form-data")
        /// The `Content-Type` has no `boundary` parameter.
        public static let missingBoundary = Code(rawValue: "missing-boundary")
        /// The `boundary` parameter is empty, longer than 70 characters, or holds a character that
        /// RFC 2046 does not allow in a boundary.
        public static let invalidBoundary = Code(rawValue: "invalid-boundary")
        /// A boundary line goes on with something other than `--`, whitespace or a line end.
        public static let malformedDelimiter = Code(rawValue: "malformed-delimiter")
        /// A part's header block is larger than the scanner's limit.
        public static let headerBlockTooLarge = Code(rawValue: "header-block-too-large")
        /// A part's headers are not well formed, or lack a `Content-Disposition: form-data` with a name.
        public static let malformedHeaders = Code(rawValue: "malformed-headers")
        /// The body ends before the closing delimiter `--<boundary>--`.
        public static let truncated = Code(rawValue: "truncated")
    }

    /// What went wrong.
    public var code: Code
    /// Where, as a byte offset into the multipart body, when known.
    public var offset: Int?
    /// What was expected and what was seen.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - offset: The byte offset into the multipart body where the fault was found, if any.
    ///   - message: What was expected and what was seen.
    public init(code: Code, offset: Int? = nil, message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String {
        let place = offset.map { " at byte \($0)" } ?? ""
        return "multipart body refused (\(code))\(place): \(message)"
    }
}
