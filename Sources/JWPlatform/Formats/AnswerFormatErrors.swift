/// An answer body that a format refused to read.
///
/// Carries the format, what went wrong as an open ``Code``, where in the body (a byte offset, or a line
/// for XML), and a message that says what was expected and what was seen.
public struct AnswerDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of fault the reader found. An open set: new codes may be added.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The name, as written in manifests, answers and reports.
        public var rawValue: String
        /// Creates a value named `rawValue`.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The text shown in messages and logs.
        public var description: String { rawValue }

        /// The body is not well formed in the format.
        public static let syntax = Code(rawValue: "syntax")
        /// The body ends before the value does.
        public static let truncated = Code(rawValue: "truncated")
        /// A text is not valid UTF-8.
        public static let invalidUTF8 = Code(rawValue: "invalid-utf8")
        /// Arrays and objects nest deeper than ``DecodingLimits/maxDepth``.
        public static let tooDeep = Code(rawValue: "too-deep")
        /// The body, a length it claims, or the number of values is over a limit.
        public static let tooLarge = Code(rawValue: "too-large")
        /// A construct the reader refuses on purpose: a DTD or entity, a PHP object or reference, a pickle
        /// opcode that imports or calls.
        public static let forbidden = Code(rawValue: "forbidden")
        /// Well formed, but not a value the tree can hold (a set as a dict key, bytes that are not text).
        public static let unsupported = Code(rawValue: "unsupported")
        /// Bytes left over after the value.
        public static let trailingData = Code(rawValue: "trailing-data")
    }

    /// The format that read the body.
    public var format: AnswerFormatName
    /// What went wrong.
    public var code: Code
    /// Where, as a byte offset into the body, when known.
    public var offset: Int?
    /// What was expected and what was seen.
    public var message: String

    /// Creates an error.
    public init(format: AnswerFormatName, code: Code, offset: Int? = nil, message: String) {
        self.format = format
        self.code = code
        self.offset = offset
        self.message = message
    }

    /// The text shown in messages and logs.
    public var description: String {
        let place = offset.map { " at byte \($0)" } ?? ""
        return "\(format) answer refused (\(code))\(place): \(message)"
    }
}

/// A tree that a format cannot write.
public struct AnswerEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The format asked to write.
    public var format: AnswerFormatName
    /// Where in the tree, as a path of member names and indexes (`videos.3.title`).
    public var path: String
    /// Why the value cannot be written.
    public var message: String

    /// Creates an error.
    public init(format: AnswerFormatName, path: String, message: String) {
        self.format = format
        self.path = path
        self.message = message
    }

    /// The text shown in messages and logs.
    public var description: String {
        "cannot write \(format) at '\(path.isEmpty ? "<root>" : path)': \(message)"
    }
}
