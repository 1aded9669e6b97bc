/// The answer formats a client or sandbox knows, by name.
///
/// ``standard`` holds the four formats of the platform. Register a format of your own on a copy and
/// pass it to the client or the sandbox:
///
/// ```swift
/// var formats = AnswerFormatRegistry.standard
/// formats.register(MyYAMLFormat())
/// ```
public struct AnswerFormatRegistry: Sendable {
    private var formats: [AnswerFormatName: any AnswerFormat] = [:]

    /// Creates a registry holding `formats`.
    public init(_ formats: [any AnswerFormat] = []) {
        for format in formats { register(format) }
    }

    /// The registry of `json`, `xml`, `php` and `py` with the standard limits.
    public static let standard = AnswerFormatRegistry([
        JSONAnswerFormat(), XMLAnswerFormat(), PHPAnswerFormat(), PickleAnswerFormat(),
    ])

    /// Adds `format`, replacing a format of the same name.
    public mutating func register(_ format: any AnswerFormat) {
        formats[format.name] = format
    }

    /// The format named `name`, or `nil`.
    public subscript(name: AnswerFormatName) -> (any AnswerFormat)? {
        formats[name]
    }

    /// The format named `name`.
    ///
    /// - Throws: ``UnknownAnswerFormatError`` naming the formats that are registered.
    public func format(named name: AnswerFormatName) throws -> any AnswerFormat {
        guard let format = formats[name] else {
            throw UnknownAnswerFormatError(name: name, known: names)
        }
        return format
    }

    /// The registered names, sorted.
    public var names: [AnswerFormatName] {
        formats.keys.sorted { $0.rawValue < $1.rawValue }
    }
}

/// An `api_format` that no registered format answers to.
public struct UnknownAnswerFormatError: Error, Sendable, CustomStringConvertible {
    /// The name asked for.
    public var name: AnswerFormatName
    /// The names that are registered.
    public var known: [AnswerFormatName]

    /// The text shown in messages and logs.
    public var description: String {
        "unknown answer format '\(name)'; known formats: \(known.map(\.rawValue).joined(separator: ", "))"
    }
}
