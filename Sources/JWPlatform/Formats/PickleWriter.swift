/// Writes an ``APIValue`` tree as a protocol-2 pickle that CPython's `pickle.loads` reads back as dicts,
/// lists, strs, ints, floats, bools and `None`.
///
/// Follows CPython's pickler: `PROTO 2`, `EMPTY_DICT`/`EMPTY_LIST` filled by `SETITEMS`/`APPENDS` in
/// batches of 1,000 (a batch of one by `SETITEM`/`APPEND`), `BINUNICODE` strings, the smallest of
/// `BININT1`/`BININT2`/`BININT`/`LONG1` for integers, big-endian `BINFLOAT`; no memo.
struct PickleWriter {
    /// The bytes written so far.
    private(set) var output: [UInt8] = [PickleOpcode.proto.rawValue, 2]
    /// The member names and indexes leading to the value being written, for errors.
    private var path: [String] = []

    /// How many items one `APPENDS` or `SETITEMS` carries, as in CPython.
    private static let batchSize = 1000

    /// Appends `value` and `STOP`.
    mutating func writeDocument(_ value: APIValue) throws {
        try write(value)
        output.append(PickleOpcode.stop.rawValue)
    }

    private mutating func write(_ value: APIValue) throws {
        switch value {
        case .null:
            output.append(PickleOpcode.none.rawValue)
        case .bool(let flag):
            output.append(flag ? PickleOpcode.newTrue.rawValue : PickleOpcode.newFalse.rawValue)
        case .int(let number):
            writeInteger(number)
        case .double(let number):
            output.append(PickleOpcode.binFloat.rawValue)
            let bits = number.bitPattern
            for shift in stride(from: 56, through: 0, by: -8) {
                output.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
            }
        case .string(let text):
            try writeString(text)
        case .array(let elements):
            output.append(PickleOpcode.emptyList.rawValue)
            var start = 0
            while start < elements.count {
                let end = min(start + PickleWriter.batchSize, elements.count)
                let batched = end - start > 1
                if batched { output.append(PickleOpcode.mark.rawValue) }
                for index in start..<end {
                    path.append(String(index))
                    try write(elements[index])
                    path.removeLast()
                }
                output.append(batched ? PickleOpcode.appends.rawValue : PickleOpcode.append.rawValue)
                start = end
            }
        case .object(let object):
            output.append(PickleOpcode.emptyDict.rawValue)
            var start = 0
            while start < object.count {
                let end = min(start + PickleWriter.batchSize, object.count)
                let batched = end - start > 1
                if batched { output.append(PickleOpcode.mark.rawValue) }
                for index in start..<end {
                    let member = object[index]
                    path.append(member.key)
                    try writeString(member.key)
                    try write(member.value)
                    path.removeLast()
                }
                output.append(batched ? PickleOpcode.setItems.rawValue : PickleOpcode.setItem.rawValue)
                start = end
            }
        }
    }

    private mutating func writeInteger(_ number: Int64) {
        switch number {
        case 0...0xFF:
            output.append(PickleOpcode.binInt1.rawValue)
            appendLittleEndian(UInt64(number), byteCount: 1)
        case 0...0xFFFF:
            output.append(PickleOpcode.binInt2.rawValue)
            appendLittleEndian(UInt64(number), byteCount: 2)
        case Int64(Int32.min)...Int64(Int32.max):
            output.append(PickleOpcode.binInt.rawValue)
            appendLittleEndian(UInt64(bitPattern: number), byteCount: 4)
        default:
            // The shortest little-endian two's complement that keeps the sign.
            var byteCount = 8
            while byteCount > 1 {
                let top = UInt8(truncatingIfNeeded: number >> Int64(8 * (byteCount - 1)))
                let next = UInt8(truncatingIfNeeded: number >> Int64(8 * (byteCount - 2)))
                let redundant = (top == 0x00 && next & 0x80 == 0) || (top == 0xFF && next & 0x80 != 0)
                guard redundant else { break }
                byteCount -= 1
            }
            output.append(PickleOpcode.long1.rawValue)
            output.append(UInt8(byteCount))
            appendLittleEndian(UInt64(bitPattern: number), byteCount: byteCount)
        }
    }

    private mutating func writeString(_ text: String) throws {
        let length = text.utf8.count
        guard let length32 = UInt32(exactly: length) else {
            throw AnswerEncodingError(
                format: .py, path: path.joined(separator: "."),
                message: "a string of \(length) bytes is too long for protocol 2")
        }
        output.append(PickleOpcode.binUnicode.rawValue)
        appendLittleEndian(UInt64(length32), byteCount: 4)
        output.append(contentsOf: text.utf8)
    }

    private mutating func appendLittleEndian(_ value: UInt64, byteCount: Int) {
        for index in 0..<byteCount { output.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * index))) }
    }
}
