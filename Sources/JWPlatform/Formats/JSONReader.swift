/// Reads one JSON text (RFC 8259) from a byte buffer into an ``APIValue`` tree.
///
/// Nesting is followed with explicit stacks, not recursion, so a hostile depth is refused at
/// ``DecodingLimits/maxDepth`` without touching the Swift stack. Open arrays and objects are kept on
/// parallel stacks so that appending to the innermost one is done in place.
struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let limits: DecodingLimits
    private var position = 0
    private var valueCount = 0
    /// Bytes of a string with escapes, reused from one string to the next.
    private var scratch: [UInt8] = []

    /// `true` for an open object, `false` for an open array, innermost last.
    private var openKinds: [Bool] = []
    private var openArrays: [[APIValue]] = []
    private var openObjects: [APIObject] = []
    /// The name of the member being read, for each open object.
    private var pendingKeys: [String] = []

    init(bytes: UnsafeBufferPointer<UInt8>, limits: DecodingLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Reads the whole body: an optional byte order mark, whitespace, one value, whitespace.
    mutating func readDocument() throws -> APIValue {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            position = 3
        }
        skipWhitespace()
        guard position < bytes.count else {
            throw failure(.truncated, "the body is empty; a JSON value was expected")
        }
        let value = try readValue()
        skipWhitespace()
        guard position == bytes.count else {
            throw failure(
                .trailingData, "\(bytes.count - position) bytes follow the JSON value, starting with \(seen())")
        }
        return value
    }

    // MARK: - Values

    private mutating func readValue() throws -> APIValue {
        var value: APIValue
        parsing: while true {
            skipWhitespace()
            guard position < bytes.count else { throw failure(.truncated, "the body ends where a value was expected") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                try openContainer()
                skipWhitespace()
                if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    value = .object(APIObject())
                } else {
                    let key = try readMemberName()
                    openKinds.append(true)
                    openObjects.append(APIObject())
                    pendingKeys.append(key)
                    continue parsing
                }
            case UInt8(ascii: "["):
                try openContainer()
                skipWhitespace()
                if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    value = .array([])
                } else {
                    openKinds.append(false)
                    openArrays.append([])
                    continue parsing
                }
            case UInt8(ascii: "\""):
                try countValue()
                value = .string(try readString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try countValue()
                value = try readNumber()
            case UInt8(ascii: "t"):
                try countValue()
                try readLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try countValue()
                try readLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try countValue()
                try readLiteral("null")
                value = .null
            default:
                throw unexpected("a JSON value")
            }

            // A value is complete: hand it to the innermost open container, then close as many as end here.
            while true {
                guard let isObject = openKinds.last else { return value }
                if isObject {
                    openObjects[openObjects.count - 1][pendingKeys.removeLast()] = value
                } else {
                    openArrays[openArrays.count - 1].append(value)
                }
                skipWhitespace()
                guard position < bytes.count else {
                    throw failure(.truncated, "the body ends inside an \(isObject ? "object" : "array")")
                }
                let byte = bytes[position]
                if byte == UInt8(ascii: ",") {
                    position += 1
                    if isObject {
                        skipWhitespace()
                        pendingKeys.append(try readMemberName())
                    }
                    continue parsing
                }
                if isObject && byte == UInt8(ascii: "}") {
                    position += 1
                    openKinds.removeLast()
                    value = .object(openObjects.removeLast())
                } else if !isObject && byte == UInt8(ascii: "]") {
                    position += 1
                    openKinds.removeLast()
                    value = .array(openArrays.removeLast())
                } else {
                    throw unexpected(
                        isObject ? "',' or '}' after an object member" : "',' or ']' after an array element")
                }
            }
        }
    }

    /// Checks the limits for a new array or object and steps over its opening bracket.
    private mutating func openContainer() throws {
        guard openKinds.count < limits.maxDepth else {
            throw failure(.tooDeep, "arrays and objects nest deeper than the limit of \(limits.maxDepth)")
        }
        try countValue()
        position += 1
    }

    private mutating func countValue() throws {
        valueCount += 1
        guard valueCount <= limits.maxValues else {
            throw failure(.tooLarge, "the body holds more than \(limits.maxValues) values")
        }
    }

    /// Reads `"name"`, whitespace and `:`, leaving the position after the colon.
    private mutating func readMemberName() throws -> String {
        guard position < bytes.count else {
            throw failure(.truncated, "the body ends where a member name was expected")
        }
        guard bytes[position] == UInt8(ascii: "\"") else { throw unexpected("a member name in double quotes") }
        let name = try readString()
        skipWhitespace()
        guard position < bytes.count else { throw failure(.truncated, "the body ends where ':' was expected") }
        guard bytes[position] == UInt8(ascii: ":") else { throw unexpected("':' after a member name") }
        position += 1
        return name
    }

    private mutating func readLiteral(_ literal: StaticString) throws {
        let start = position
        let count = literal.utf8CodeUnitCount
        let expected = literal.utf8Start
        for offset in 0..<count {
            guard position < bytes.count else {
                throw failure(.truncated, "the body ends inside '\(literal)'", at: start)
            }
            guard bytes[position] == expected[offset] else { throw unexpected("'\(literal)'") }
            position += 1
        }
    }

    // MARK: - Numbers

    private mutating func readNumber() throws -> APIValue {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { throw failure(.truncated, "the body ends inside a number", at: start) }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else if isDigit(bytes[position]) {
            skipDigits()
        } else {
            throw unexpected("a digit")
        }
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            try requireDigits(numberStart: start)
        }
        if position < bytes.count && (bytes[position] | 0x20) == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            if position < bytes.count && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-"))
            {
                position += 1
            }
            try requireDigits(numberStart: start)
        }
        let digits = UnsafeBufferPointer(rebasing: bytes[start..<position])
        if isInteger, let integer = Self.int64(fromDigits: digits) {
            return .int(integer)
        }
        guard let double = Double(String(decoding: digits, as: UTF8.self)), double.isFinite else {
            throw failure(
                .unsupported, "the number \(String(decoding: digits, as: UTF8.self)) is beyond the range of a double",
                at: start)
        }
        return .double(double)
    }

    private mutating func requireDigits(numberStart: Int) throws {
        guard position < bytes.count else {
            throw failure(.truncated, "the body ends inside a number", at: numberStart)
        }
        guard isDigit(bytes[position]) else { throw unexpected("a digit") }
        skipDigits()
    }

    private mutating func skipDigits() {
        while position < bytes.count && isDigit(bytes[position]) { position += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The value of an optional `-` and decimal digits, or `nil` when it does not fit in `Int64`.
    static func int64(fromDigits digits: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        let negative = digits.first == UInt8(ascii: "-")
        if negative { index = 1 }
        // Accumulate as a negative number, whose range includes Int64.min.
        var value: Int64 = 0
        while index < digits.count {
            let digit = Int64(digits[index] &- UInt8(ascii: "0"))
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.subtractingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = next
            index += 1
        }
        if negative { return value }
        return value == Int64.min ? nil : -value
    }

    // MARK: - Strings

    /// Reads a string whose opening quote is at the position, leaving the position after the closing one.
    private mutating func readString() throws -> String {
        let start = position
        position += 1
        // Fast path: no escapes, so the bytes between the quotes are the text.
        var index = position
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<index]), as: UTF8.self)
                position = index + 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            index += try stringCharacterLength(at: index, stringStart: start)
        }
        guard index < bytes.count else { throw failure(.truncated, "the body ends inside a string", at: start) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<index]))
        position = index
        return try readEscapedRest(stringStart: start)
    }

    /// Reads the rest of a string that holds escapes, from the first backslash.
    private mutating func readEscapedRest(stringStart: Int) throws -> String {
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                try readEscape(stringStart: stringStart)
                continue
            }
            let length = try stringCharacterLength(at: position, stringStart: stringStart)
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<position + length]))
            position += length
        }
        throw failure(.truncated, "the body ends inside a string", at: stringStart)
    }

    /// The length of the unescaped character at `index` inside a string, after checking it.
    private func stringCharacterLength(at index: Int, stringStart: Int) throws -> Int {
        let byte = bytes[index]
        if byte >= 0x20 && byte < 0x80 { return 1 }
        if byte < 0x20 {
            throw failure(
                .syntax, "a raw control character (byte \(hex(byte))) inside a string; it must be escaped", at: index)
        }
        switch AnswerUTF8Validator.sequence(in: bytes, at: index) {
        case .valid(let length): return length
        case .invalid: throw failure(.invalidUTF8, "a string holds bytes that are not valid UTF-8", at: index)
        case .truncated: throw failure(.truncated, "the body ends inside a string", at: stringStart)
        }
    }

    /// Reads one escape, whose backslash is at the position, appending its UTF-8 bytes to `scratch`.
    private mutating func readEscape(stringStart: Int) throws {
        let escapeStart = position
        position += 1
        guard position < bytes.count else {
            throw failure(.truncated, "the body ends inside a string", at: stringStart)
        }
        let letter = bytes[position]
        position += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(letter)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try readHexQuad(stringStart: stringStart))
            if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw failure(
                    .syntax, "a lone low surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: escapeStart)
            }
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                let low = try readLowSurrogate(stringStart: stringStart, escapeStart: escapeStart)
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            // Surrogates are excluded above, so the scalar is valid.
            let character = Unicode.Scalar(scalar)!
            scratch.append(contentsOf: UTF8.encode(character)!)
        default:
            position -= 1
            throw unexpected("an escape letter (one of \"\\/bfnrtu) after a backslash")
        }
    }

    /// Reads the `\uDCxx` that must follow a high surrogate.
    private mutating func readLowSurrogate(stringStart: Int, escapeStart: Int) throws -> UInt32 {
        let lone = "a high surrogate escape is not followed by a low surrogate escape"
        guard position + 1 < bytes.count else {
            // A cut body might still have held the low half.
            if position == bytes.count || bytes[position] == UInt8(ascii: "\\") {
                throw failure(.truncated, "the body ends inside a string", at: stringStart)
            }
            throw failure(.syntax, lone, at: escapeStart)
        }
        guard bytes[position] == UInt8(ascii: "\\") && bytes[position + 1] == UInt8(ascii: "u") else {
            throw failure(.syntax, lone, at: escapeStart)
        }
        position += 2
        let low = UInt32(try readHexQuad(stringStart: stringStart))
        guard low >= 0xDC00 && low <= 0xDFFF else { throw failure(.syntax, lone, at: escapeStart) }
        return low
    }

    private mutating func readHexQuad(stringStart: Int) throws -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard position < bytes.count else {
                throw failure(.truncated, "the body ends inside a string", at: stringStart)
            }
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw unexpected("four hexadecimal digits after \\u")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    // MARK: - Whitespace and errors

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func failure(
        _ code: AnswerDecodingError.Code, _ message: String, at offset: Int? = nil
    ) -> AnswerDecodingError {
        AnswerDecodingError(format: .json, code: code, offset: offset ?? position, message: message)
    }

    /// The error for an unexpected byte at the position: invalid UTF-8, a cut body, or a syntax error.
    private func unexpected(_ expectation: String) -> AnswerDecodingError {
        guard position < bytes.count else {
            return failure(.truncated, "the body ends where \(expectation) was expected")
        }
        if bytes[position] >= 0x80 {
            switch AnswerUTF8Validator.sequence(in: bytes, at: position) {
            case .invalid:
                return failure(.invalidUTF8, "bytes that are not valid UTF-8 where \(expectation) was expected")
            case .truncated:
                return failure(.truncated, "the body ends inside a character where \(expectation) was expected")
            case .valid: break
            }
        }
        return failure(.syntax, "expected \(expectation), found \(seen())")
    }

    /// A short description of the byte at the position.
    private func seen() -> String {
        guard position < bytes.count else { return "the end of the body" }
        let byte = bytes[position]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte \(hex(byte))"
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return byte < 0x10 ? "0x0\(digits)" : "0x\(digits)"
    }
}
