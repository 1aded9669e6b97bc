/// Writes an ``APIValue`` tree in the grammar of PHP `serialize()`.
///
/// Arrays are written with integer keys `0`…`n-1`, objects with string keys; PHP's `unserialize()` reads
/// both as arrays.
struct PHPSerializedWriter {
    /// The bytes written so far.
    private(set) var output: [UInt8] = []

    /// Appends `value`.
    mutating func write(_ value: APIValue) {
        switch value {
        case .null:
            append("N;")
        case .bool(let flag):
            append(flag ? "b:1;" : "b:0;")
        case .int(let number):
            append("i:")
            append(String(number))
            append(";")
        case .double(let number):
            append("d:")
            append(PHPSerializedWriter.floatText(number))
            append(";")
        case .string(let text):
            writeString(text)
        case .array(let elements):
            writeArrayHeader(count: elements.count)
            for (index, element) in elements.enumerated() {
                append("i:")
                append(String(index))
                append(";")
                write(element)
            }
            append("}")
        case .object(let object):
            writeArrayHeader(count: object.count)
            for member in object {
                writeString(member.key)
                write(member.value)
            }
            append("}")
        }
    }

    /// The text of a float that PHP reads back exactly: the shortest round-trip form, with PHP's
    /// spellings of the non-finite values.
    static func floatText(_ number: Double) -> String {
        if number.isNaN { return "NAN" }
        if number.isInfinite { return number < 0 ? "-INF" : "INF" }
        return "\(number)"
    }

    private mutating func writeString(_ text: String) {
        append("s:")
        append(String(text.utf8.count))
        append(":\"")
        append(text)
        append("\";")
    }

    private mutating func writeArrayHeader(count: Int) {
        append("a:")
        append(String(count))
        append(":{")
    }

    private mutating func append(_ text: String) {
        output.append(contentsOf: text.utf8)
    }
}
