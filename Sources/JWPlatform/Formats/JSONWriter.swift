/// Writes an ``APIValue`` tree as compact JSON.
///
/// Members keep their order; strings escape `"`, `\` and the control characters (as `\u00XX`) and
/// nothing else; integers are decimal; doubles use the shortest text that reads back as the same number,
/// always with a fraction or an exponent so that they read back as doubles.
struct JSONWriter {
    /// The bytes written so far.
    private(set) var output: [UInt8] = []
    /// Where the writer is in the tree (member names and indexes), for error messages.
    private var path: [String] = []

    init() {}

    /// Appends `value`.
    ///
    /// - Throws: ``AnswerEncodingError`` for a NaN or infinite double.
    mutating func write(_ value: APIValue) throws {
        switch value {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let integer):
            output.append(contentsOf: String(integer).utf8)
        case .double(let double):
            guard double.isFinite else {
                throw AnswerEncodingError(
                    format: .json, path: path.joined(separator: "."), message: "JSON has no form for \(double)")
            }
            output.append(contentsOf: APIValue.decimalText(double).utf8)
        case .string(let text):
            writeString(text)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                path.append(String(index))
                try write(element)
                path.removeLast()
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (index, member) in object.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key)
                output.append(UInt8(ascii: ":"))
                path.append(member.key)
                try write(member.value)
                path.removeLast()
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private mutating func writeString(_ text: String) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case 0x00..<0x20:
                output.append(contentsOf: "\\u00".utf8)
                output.append(Self.hexDigits[Int(byte >> 4)])
                output.append(Self.hexDigits[Int(byte & 0x0F)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
