/// A fault in the text argument of a protocol-0 opcode.
enum PickleTextFault: Error {
    /// The argument is not well formed.
    case malformed(String)
    /// The argument names a code point that is not a Unicode scalar (a lone surrogate).
    case notUnicode(String)
}

/// Decoders for the newline-terminated text arguments of the protocol-0 opcodes (`INT`, `LONG`, `FLOAT`,
/// `STRING`, `UNICODE`, `GET`, `PUT`) and for the binary integers of `LONG1`/`LONG4`.
enum PickleTextArguments {
    /// A decimal integer: its value, or why there is none.
    enum Decimal: Equatable {
        case value(Int64)
        case overflow
        case invalid
    }

    /// Reads `[+-]?[0-9]+`.
    static func decimal(_ text: ArraySlice<UInt8>) -> Decimal {
        var digits = text[...]
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return .invalid }
        var value: Int64 = 0
        var overflowed = false
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return .invalid }
            guard !overflowed else { continue }
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) =
                negative
                ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            overflowed = o1 || o2
            value = next
        }
        return overflowed ? .overflow : .value(value)
    }

    /// Reads a little-endian two's-complement integer (`LONG1`, `LONG4`), or `nil` when it does not fit
    /// in 64 bits. No bytes mean zero.
    static func integer(littleEndian payload: ArraySlice<UInt8>) -> Int64? {
        guard let last = payload.last else { return 0 }
        let negative = last & 0x80 != 0
        if payload.count > 8 {
            let fill: UInt8 = negative ? 0xFF : 0x00
            guard payload.dropFirst(8).allSatisfy({ $0 == fill }),
                (payload[payload.startIndex + 7] & 0x80 != 0) == negative
            else { return nil }
        }
        var raw: UInt64 = negative ? ~0 : 0
        for (index, byte) in payload.prefix(8).enumerated() {
            let shift = UInt64(8 * index)
            raw = (raw & ~(0xFF << shift)) | (UInt64(byte) << shift)
        }
        return Int64(bitPattern: raw)
    }

    /// Reads the argument of `FLOAT` as Python's `repr(float)` writes it: decimal digits with an
    /// optional fraction and exponent, or `inf`, `infinity`, `nan` with an optional sign, in any case.
    static func float(_ text: ArraySlice<UInt8>) -> Double? {
        let allowed = Set("0123456789+-.eE".utf8)
        let words: Set<String> = ["inf", "infinity", "nan"]
        let string = String(decoding: text, as: UTF8.self)
        let unsigned = string.hasPrefix("-") || string.hasPrefix("+") ? String(string.dropFirst()) : string
        guard text.allSatisfy(allowed.contains) || words.contains(unsigned.lowercased()) else { return nil }
        return Double(string)
    }

    /// Decodes the argument of `STRING`: a quoted Python 2 `repr` of bytes, with its backslash escapes.
    static func quotedBytes(_ text: ArraySlice<UInt8>) throws(PickleTextFault) -> [UInt8] {
        guard text.count >= 2, let quote = text.first, quote == text.last,
            quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"")
        else { throw .malformed("the argument of STRING must be quoted") }
        let body = text.dropFirst().dropLast()
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                continue
            }
            guard index < body.endIndex else { throw .malformed("a trailing backslash in STRING") }
            let escape = body[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\n"): break
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): output.append(escape)
            case UInt8(ascii: "a"): output.append(0x07)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "v"): output.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escape - UInt8(ascii: "0"))
                var length = 1
                while length < 3, index < body.endIndex,
                    (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(body[index])
                {
                    value = value * 8 + Int(body[index] - UInt8(ascii: "0"))
                    index += 1
                    length += 1
                }
                output.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x"):
                guard body.endIndex - index >= 2, let high = hexValue(body[index]), let low = hexValue(body[index + 1])
                else { throw .malformed("an invalid \\x escape in STRING") }
                output.append(UInt8(high * 16 + low))
                index += 2
            default:
                output.append(UInt8(ascii: "\\"))
                output.append(escape)
            }
        }
        return output
    }

    /// Decodes the argument of `UNICODE`: Python's `raw-unicode-escape`, where every byte is a Latin-1
    /// character except `\uXXXX` and `\UXXXXXXXX` after an odd number of backslashes.
    static func rawUnicodeEscape(_ text: ArraySlice<UInt8>) throws(PickleTextFault) -> String {
        if text.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\\") }) {
            return String(decoding: text, as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                scalars.append(Unicode.Scalar(byte))
                continue
            }
            var backslashes = 1
            while index < text.endIndex, text[index] == UInt8(ascii: "\\") {
                backslashes += 1
                index += 1
            }
            let escapes =
                backslashes % 2 == 1 && index < text.endIndex
                && (text[index] == UInt8(ascii: "u") || text[index] == UInt8(ascii: "U"))
            for _ in 0..<(escapes ? backslashes - 1 : backslashes) { scalars.append("\\") }
            guard escapes else { continue }
            let width = text[index] == UInt8(ascii: "u") ? 4 : 8
            index += 1
            guard text.endIndex - index >= width else { throw .malformed("a truncated \\u escape in UNICODE") }
            var code: UInt32 = 0
            for digit in text[index..<index + width] {
                guard let value = hexValue(digit) else { throw .malformed("an invalid \\u escape in UNICODE") }
                code = code * 16 + UInt32(value)
            }
            index += width
            guard code <= 0x10FFFF else { throw .malformed("\\U escape beyond U+10FFFF in UNICODE") }
            guard let scalar = Unicode.Scalar(code) else {
                throw .notUnicode("a lone surrogate U+\(String(code, radix: 16, uppercase: true)) in UNICODE")
            }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
