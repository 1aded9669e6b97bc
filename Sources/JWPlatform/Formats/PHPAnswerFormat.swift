/// The `php` answer format: PHP `serialize()` of plain data.
///
/// Reads and writes `N;`, `b:0;`/`b:1;`, `i:<int>;`, `d:<float>;` (with `INF`, `-INF` and `NAN`),
/// `s:<byte length>:"<bytes>";` and `a:<n>:{key value …}`. Objects (`O:`, `C:`, enums `E:`),
/// references (`r:`, `R:`) and escaped strings (`S:`) are refused: reading never creates an object.
///
/// PHP has a single array type: an array whose keys are exactly `0`…`n-1` in order reads as an
/// ``APIValue/array(_:)``, any other as an ``APIValue/object(_:)`` whose integer keys are written in
/// decimal. So an empty object and an empty list are both `a:0:{}` and read back as an empty array; see
/// ``normalized(_:)``.
public struct PHPAnswerFormat: AnswerFormat {
    /// The limits the reader enforces.
    public var limits: DecodingLimits

    /// Creates the format.
    ///
    /// - Parameter limits: The limits enforced when reading; the defaults are far above any real answer.
    public init(limits: DecodingLimits = .standard) {
        self.limits = limits
    }

    /// `php`.
    public var name: AnswerFormatName { .php }

    /// Reads one `serialize()` body.
    ///
    /// - Throws: ``AnswerDecodingError`` with code `forbidden` for objects, references and any other
    ///   construct tagged by a letter other than `N`, `b`, `i`, `d`, `s`, `a`; `unsupported` for an
    ///   integer beyond 64 bits; `tooLarge` also for a number written with more than 1,024 characters;
    ///   and the usual codes for malformed or oversized bodies.
    public func decode(_ bytes: [UInt8]) throws -> APIValue {
        var reader = PHPSerializedReader(bytes: bytes, limits: limits)
        return try reader.readDocument()
    }

    /// Writes `value` as PHP would serialize the same array tree.
    ///
    /// Objects are written with string keys (`s:`); PHP itself turns decimal keys into integer keys
    /// when it reads them. This never fails.
    public func encode(_ value: APIValue) throws -> [UInt8] {
        var writer = PHPSerializedWriter()
        writer.write(value)
        return writer.output
    }

    /// The tree a round trip through PHP gives back: every empty object becomes an empty array, and an
    /// object whose keys are exactly `"0"`…`"n-1"` in order becomes an array, at every level.
    public func normalized(_ value: APIValue) -> APIValue {
        switch value {
        case .array(let elements):
            return .array(elements.map(normalized))
        case .object(let object):
            if PHPArrayKeys.areListKeys(object.keys) {
                return .array(object.map { normalized($0.value) })
            }
            return .object(APIObject(object.map { ($0.key, normalized($0.value)) }))
        case .null, .bool, .int, .double, .string:
            return value
        }
    }
}

/// How PHP treats the keys of its arrays.
enum PHPArrayKeys {
    /// Whether `keys` are exactly `"0"`, `"1"`, … `"n-1"` in order (an empty list of keys counts: PHP
    /// cannot tell an empty object from an empty list).
    static func areListKeys(_ keys: some Sequence<String>) -> Bool {
        var expected: Int64 = 0
        for key in keys {
            guard integerKey(key) == expected else { return false }
            expected += 1
        }
        return true
    }

    /// The integer PHP makes of a string key, or `nil` when PHP keeps it a string.
    ///
    /// PHP converts a key that is the canonical decimal form of a 64-bit integer (`"0"`, `"42"`, `"-7"`,
    /// not `"007"`, `"+1"`, `"-0"` or `" 1"`).
    static func integerKey(_ key: String) -> Int64? {
        let utf8 = key.utf8
        guard let first = utf8.first, utf8.count <= 20 else { return nil }
        let digits = first == UInt8(ascii: "-") ? utf8.dropFirst() : utf8[...]
        guard let leading = digits.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(leading) else {
            return nil
        }
        if leading == UInt8(ascii: "0") && (digits.count > 1 || first == UInt8(ascii: "-")) { return nil }
        guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int64(key)
    }
}
