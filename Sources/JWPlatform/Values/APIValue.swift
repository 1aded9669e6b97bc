/// One value of an API answer, whatever format carried it.
///
/// Every answer format (``JSONAnswerFormat``, ``XMLAnswerFormat``, ``PHPAnswerFormat``,
/// ``PickleAnswerFormat``) decodes into this tree and encodes from it, so the client reads answers the
/// same way whichever `api_format` it asked for, and the sandbox writes them with the same code.
public enum APIValue: Sendable, Hashable {
    /// JSON `null`, PHP `N;`, Python `None`.
    case null
    /// A boolean.
    case bool(Bool)
    /// An integer that fits in 64 bits.
    case int(Int64)
    /// A floating-point number.
    case double(Double)
    /// A text, always valid Unicode.
    case string(String)
    /// An ordered list.
    case array([APIValue])
    /// An object whose members keep the order in which they were read or written.
    case object(APIObject)
}

extension APIValue {
    /// The member named `key` when this value is an object, else `nil`.
    public subscript(key: String) -> APIValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The text of a string, or the decimal form of a number or boolean; `nil` for null, arrays and objects.
    ///
    /// Formats without types (XML) carry every scalar as text; this reads both shapes alike.
    public var text: String? {
        switch self {
        case .string(let value): return value
        case .int(let value): return String(value)
        case .double(let value): return APIValue.decimalText(value)
        case .bool(let value): return value ? "true" : "false"
        case .null, .array, .object: return nil
        }
    }

    /// The value as an integer: an int, a double without fraction, or a string holding a decimal integer.
    public var integer: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value):
            guard value.rounded() == value, let exact = Int64(exactly: value) else { return nil }
            return exact
        case .string(let value): return Int64(value.trimmingSpaces())
        case .bool, .null, .array, .object: return nil
        }
    }

    /// The value as a boolean: a bool, `1`/`0`, or the texts `true`/`false`/`True`/`False`/`1`/`0`.
    public var boolean: Bool? {
        switch self {
        case .bool(let value): return value
        case .int(let value) where value == 0 || value == 1: return value == 1
        case .string(let value):
            switch value.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// The members of an object, or `nil` when this value is not one.
    public var objectValue: APIObject? {
        guard case .object(let object) = self else { return nil }
        return object
    }

    /// The elements of an array, or `nil` when this value is not one.
    public var arrayValue: [APIValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    /// The shortest decimal text that reads back as the same `Double` (`1.5`, `1e+25`, `inf`).
    static func decimalText(_ value: Double) -> String {
        "\(value)"
    }
}

extension String {
    func trimmingSpaces() -> Substring {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" || first == "\n" || first == "\r" {
            slice = slice.dropFirst()
        }
        while let last = slice.last, last == " " || last == "\t" || last == "\n" || last == "\r" {
            slice = slice.dropLast()
        }
        return slice
    }
}

extension APIValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByStringInterpolation,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// `nil` as ``APIValue/null``.
    public init(nilLiteral: ()) { self = .null }
    /// A Boolean literal as ``APIValue/bool(_:)``.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer literal as ``APIValue/int(_:)``.
    public init(integerLiteral value: Int64) { self = .int(value) }
    /// A floating-point literal as ``APIValue/double(_:)``.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A string literal as ``APIValue/string(_:)``.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array literal as ``APIValue/array(_:)``.
    public init(arrayLiteral elements: APIValue...) { self = .array(elements) }
    /// A dictionary literal as an ``APIValue/object(_:)``, members in the order written.
    public init(dictionaryLiteral elements: (String, APIValue)...) {
        self = .object(APIObject(elements))
    }
}
