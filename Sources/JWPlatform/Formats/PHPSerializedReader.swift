/// Reads one PHP `serialize()` body into an ``APIValue`` tree, refusing objects and references.
///
/// A recursive descent over the bytes; it recurses once per nested array and refuses to go deeper than
/// ``DecodingLimits/maxDepth``. Every length and count the body claims is checked against the bytes that
/// remain before anything is allocated.
struct PHPSerializedReader {
    private let bytes: [UInt8]
    private let limits: DecodingLimits
    private var position = 0
    private var valueCount = 0

    /// The fewest bytes one array element takes: a key `i:0;` and a value `N;`.
    private static let minimumElementSize = 6
    /// The longest number literal read; PHP writes at most about 25 characters.
    private static let maximumNumberLength = 1024

    init(bytes: [UInt8], limits: DecodingLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Reads the whole body: exactly one value.
    mutating func readDocument() throws -> APIValue {
        guard bytes.count <= limits.maxBytes else {
            throw failure(.tooLarge, at: 0, "the body is \(bytes.count) bytes, over the limit of \(limits.maxBytes)")
        }
        let value = try readValue(depth: 0)
        guard position == bytes.count else {
            throw failure(.trailingData, at: position, "\(bytes.count - position) bytes follow the value")
        }
        return value
    }

    // MARK: - Values

    private mutating func readValue(depth: Int) throws -> APIValue {
        guard position < bytes.count else { throw endOfBody(expecting: "a value") }
        valueCount += 1
        guard valueCount <= limits.maxValues else {
            throw failure(.tooLarge, at: position, "more than \(limits.maxValues) values")
        }
        let start = position
        let tag = bytes[position]
        switch tag {
        case UInt8(ascii: "N"):
            position += 1
            try expect(UInt8(ascii: ";"))
            return .null
        case UInt8(ascii: "b"):
            position += 1
            try expect(UInt8(ascii: ":"))
            guard position < bytes.count else { throw endOfBody(expecting: "0 or 1") }
            let digit = bytes[position]
            guard digit == UInt8(ascii: "0") || digit == UInt8(ascii: "1") else {
                throw failure(.syntax, at: position, "a boolean is b:0; or b:1;, found \(describe(digit))")
            }
            position += 1
            try expect(UInt8(ascii: ";"))
            return .bool(digit == UInt8(ascii: "1"))
        case UInt8(ascii: "i"):
            position += 1
            try expect(UInt8(ascii: ":"))
            return .int(try readInteger())
        case UInt8(ascii: "d"):
            position += 1
            try expect(UInt8(ascii: ":"))
            return .double(try readDouble())
        case UInt8(ascii: "s"):
            return .string(try readString())
        case UInt8(ascii: "a"):
            guard depth < limits.maxDepth else {
                throw failure(.tooDeep, at: start, "arrays nest deeper than \(limits.maxDepth) levels")
            }
            return try readArray(depth: depth + 1)
        default:
            throw refusal(of: tag, at: start)
        }
    }

    /// Reads `s:<length>:"<bytes>";` starting at the `s`.
    private mutating func readString() throws -> String {
        position += 1
        try expect(UInt8(ascii: ":"))
        let lengthStart = position
        let length = try readCount(of: "string length")
        try expect(UInt8(ascii: ":"))
        try expect(UInt8(ascii: "\""))
        guard length <= limits.maxBytes else {
            throw failure(
                .tooLarge, at: lengthStart, "a string of \(length) bytes is over the limit of \(limits.maxBytes)")
        }
        guard length <= bytes.count - position else {
            throw failure(
                .truncated, at: lengthStart,
                "a string of \(length) bytes is claimed but only \(bytes.count - position) bytes remain")
        }
        let textStart = position
        let text = bytes[textStart..<textStart + length]
        position += length
        try expect(UInt8(ascii: "\""))
        try expect(UInt8(ascii: ";"))
        if let fault = text.withUnsafeBufferPointer({ AnswerUTF8Validator.firstFault(in: $0) }) {
            throw failure(
                .invalidUTF8, at: textStart + fault.offset,
                "a string of \(length) bytes is not valid UTF-8 (byte \(fault.offset) of the string)")
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Reads `a:<n>:{key value …}` starting at the `a`; `depth` counts this array.
    private mutating func readArray(depth: Int) throws -> APIValue {
        position += 1
        try expect(UInt8(ascii: ":"))
        let countStart = position
        let count = try readCount(of: "array size")
        try expect(UInt8(ascii: ":"))
        try expect(UInt8(ascii: "{"))
        guard count <= limits.maxValues else {
            throw failure(
                .tooLarge, at: countStart,
                "an array of \(count) elements is over the limit of \(limits.maxValues) values")
        }
        let (needed, overflow) = count.multipliedReportingOverflow(by: PHPSerializedReader.minimumElementSize)
        guard !overflow, needed < bytes.count - position else {
            throw failure(
                .truncated, at: countStart,
                "an array of \(count) elements is claimed but only \(bytes.count - position) bytes remain")
        }
        var elements: [APIValue] = []
        elements.reserveCapacity(min(count, 1024))
        var object: APIObject?
        for index in 0..<count {
            let key = try readKey()
            let value = try readValue(depth: depth)
            if var members = object {
                object = nil
                members[key.text] = value
                object = members
            } else if key.integer == Int64(index) {
                elements.append(value)
            } else {
                var members = APIObject(elements.enumerated().map { (String($0.offset), $0.element) })
                members[key.text] = value
                elements = []
                object = members
            }
        }
        try expect(UInt8(ascii: "}"))
        guard let object else { return .array(elements) }
        // Repeated keys can still leave exactly 0…n-1, which PHP holds as a list.
        if PHPArrayKeys.areListKeys(object.keys) { return .array(object.map(\.value)) }
        return .object(object)
    }

    /// An array key: `i:<int>;` or `s:<n>:"…";`, with the integer PHP would make of it, if any.
    private mutating func readKey() throws -> (text: String, integer: Int64?) {
        guard position < bytes.count else { throw endOfBody(expecting: "an array key") }
        switch bytes[position] {
        case UInt8(ascii: "i"):
            position += 1
            try expect(UInt8(ascii: ":"))
            let value = try readInteger()
            return (String(value), value)
        case UInt8(ascii: "s"):
            let text = try readString()
            return (text, PHPArrayKeys.integerKey(text))
        default:
            throw failure(
                .syntax, at: position, "an array key is i: or s:, found \(describe(bytes[position]))")
        }
    }

    // MARK: - Numbers

    /// Reads `[+-]?[0-9]+;` as a 64-bit integer.
    private mutating func readInteger() throws -> Int64 {
        let start = position
        var negative = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
            negative = bytes[position] == UInt8(ascii: "-")
            position += 1
        }
        var value: Int64 = 0
        var digits = 0
        var overflowed = false
        while position < bytes.count, let digit = PHPSerializedReader.digitValue(bytes[position]) {
            if !overflowed {
                let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) =
                    negative
                    ? shifted.subtractingReportingOverflow(Int64(digit))
                    : shifted.addingReportingOverflow(Int64(digit))
                overflowed = o1 || o2
                value = next
            }
            digits += 1
            position += 1
        }
        guard position < bytes.count else { throw endOfBody(expecting: "digits or ';'") }
        guard digits > 0 else {
            throw failure(.syntax, at: position, "expected an integer, found \(describe(bytes[position]))")
        }
        try expect(UInt8(ascii: ";"))
        guard !overflowed else {
            throw failure(.unsupported, at: start, "the integer does not fit in 64 bits")
        }
        return value
    }

    /// Reads an unsigned decimal count (`[0-9]+`), stopping before the byte that follows it.
    private mutating func readCount(of what: String) throws -> Int {
        let start = position
        var value = 0
        var overflowed = false
        while position < bytes.count, let digit = PHPSerializedReader.digitValue(bytes[position]) {
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.addingReportingOverflow(Int(digit))
            overflowed = overflowed || o1 || o2
            value = next
            position += 1
        }
        guard position < bytes.count else { throw endOfBody(expecting: "the \(what)") }
        guard position > start else {
            throw failure(.syntax, at: position, "expected the \(what), found \(describe(bytes[position]))")
        }
        guard !overflowed else { throw failure(.tooLarge, at: start, "the \(what) does not fit in an integer") }
        return value
    }

    /// Reads the text of `d:` up to its `;`: `NAN`, `INF`, `-INF`, or `[+-]?digits[.digits][(e|E)[+-]?digits]`.
    private mutating func readDouble() throws -> Double {
        let start = position
        for (word, value) in [("NAN", Double.nan), ("INF", Double.infinity), ("-INF", -Double.infinity)] {
            let literal = Array(word.utf8)
            if bytes[position...].starts(with: literal) {
                position += literal.count
                try expect(UInt8(ascii: ";"))
                return value
            }
            if literal.starts(with: bytes[position...]) { throw endOfBody(expecting: "a float") }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
            position += 1
        }
        var mantissaDigits = skipDigits()
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            mantissaDigits += skipDigits()
        }
        if mantissaDigits > 0, position < bytes.count,
            bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E")
        {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
                position += 1
            }
            guard skipDigits() > 0 || position >= bytes.count else {
                throw failure(
                    .syntax, at: position, "expected the digits of an exponent, found \(describe(bytes[position]))")
            }
        }
        guard position < bytes.count else { throw endOfBody(expecting: "a float") }
        guard mantissaDigits > 0 else {
            throw failure(.syntax, at: position, "expected a float, found \(describe(bytes[position]))")
        }
        let end = position
        try expect(UInt8(ascii: ";"))
        guard end - start <= PHPSerializedReader.maximumNumberLength else {
            throw failure(.tooLarge, at: start, "a float of \(end - start) characters")
        }
        guard let value = Double(String(decoding: bytes[start..<end], as: UTF8.self)) else {
            throw failure(.syntax, at: start, "not a float")
        }
        return value
    }

    /// Moves past ASCII digits and returns how many there were.
    private mutating func skipDigits() -> Int {
        let start = position
        while position < bytes.count, PHPSerializedReader.digitValue(bytes[position]) != nil { position += 1 }
        return position - start
    }

    private static func digitValue(_ byte: UInt8) -> UInt8? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
    }

    // MARK: - Helpers

    /// Consumes `byte` or throws.
    private mutating func expect(_ byte: UInt8) throws {
        guard position < bytes.count else { throw endOfBody(expecting: describe(byte)) }
        guard bytes[position] == byte else {
            throw failure(.syntax, at: position, "expected \(describe(byte)), found \(describe(bytes[position]))")
        }
        position += 1
    }

    /// The error for a value that starts with `tag` and is not one of the six plain kinds.
    private func refusal(of tag: UInt8, at offset: Int) -> AnswerDecodingError {
        let construct: String
        switch tag {
        case UInt8(ascii: "O"): construct = "an object (O:); unserializing objects can run code"
        case UInt8(ascii: "o"): construct = "an old-style object (o:)"
        case UInt8(ascii: "C"): construct = "a custom-serialized object (C:); it runs the class's unserialize()"
        case UInt8(ascii: "E"): construct = "an enum case (E:)"
        case UInt8(ascii: "r"): construct = "a value reference (r:)"
        case UInt8(ascii: "R"): construct = "a variable reference (R:)"
        case UInt8(ascii: "S"): construct = "an escaped string (S:)"
        case UInt8(ascii: "U"): construct = "a unicode string (U:)"
        default:
            let isLetter =
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(tag)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(tag)
            guard isLetter else {
                return failure(.syntax, at: offset, "expected a value (N, b, i, d, s or a), found \(describe(tag))")
            }
            construct = "an unknown construct (\(describe(tag)))"
        }
        return failure(.forbidden, at: offset, "\(construct) is refused")
    }

    private func endOfBody(expecting what: String) -> AnswerDecodingError {
        failure(.truncated, at: bytes.count, "the body ends where \(what) was expected")
    }

    private func failure(_ code: AnswerDecodingError.Code, at offset: Int, _ message: String) -> AnswerDecodingError {
        AnswerDecodingError(format: .php, code: code, offset: offset, message: message)
    }

    private func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }
}
