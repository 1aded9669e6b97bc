/// Reads the `onMetaData` script tag of an FLV file (AMF0, Action Message Format version 0) far enough to
/// find its `duration` number.
///
/// The metadata is an ECMA array or an object of name–value pairs; values of every AMF0 type are skipped
/// by their declared sizes, with nesting bounded, and nothing is read past the tag's bytes.
struct FLVScriptData {
    private let bytes: [UInt8]
    private var cursor = 0

    /// The deepest nesting of objects and arrays followed.
    private static let depthLimit = 16

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The `duration` of the `onMetaData` tag whose data is `bytes`, in seconds, when there is one.
    static func duration(inMetadata bytes: [UInt8]) -> Double? {
        var reader = FLVScriptData(bytes)
        guard reader.byte() == 0x02, let name = reader.shortString(), name == "onMetaData" else { return nil }
        switch reader.byte() {
        case 0x08:
            guard reader.skip(4) else { return nil }
            return reader.findDuration()
        case 0x03:
            return reader.findDuration()
        default:
            return nil
        }
    }

    /// Walks name–value pairs up to the object end marker, returning the number named `duration`.
    private mutating func findDuration() -> Double? {
        while cursor < bytes.count {
            guard let name = shortString() else { return nil }
            guard let type = byte() else { return nil }
            if name.isEmpty, type == 0x09 { return nil }
            if name == "duration", type == 0x00 {
                guard let bits = bytes.u64be(cursor) else { return nil }
                return Double(bitPattern: bits)
            }
            guard skipValue(type: type, depth: 1) else { return nil }
        }
        return nil
    }

    /// Skips a value of AMF0 `type` whose marker was read; `false` when it runs past the data or nests too deep.
    private mutating func skipValue(type: UInt8, depth: Int) -> Bool {
        guard depth <= Self.depthLimit else { return false }
        switch type {
        case 0x00: return skip(8)  // number
        case 0x01: return skip(1)  // boolean
        case 0x02: return shortString() != nil  // string
        case 0x03: return skipPairs(depth: depth)  // object
        case 0x05, 0x06, 0x0D: return true  // null, undefined, unsupported
        case 0x07: return skip(2)  // reference
        case 0x08: return skip(4) && skipPairs(depth: depth)  // ECMA array
        case 0x0A:  // strict array
            guard let count = bytes.u32be(cursor), skip(4) else { return false }
            for _ in 0..<count {
                guard let inner = byte(), skipValue(type: inner, depth: depth + 1) else { return false }
            }
            return true
        case 0x0B: return skip(10)  // date
        case 0x0C, 0x0F:  // long string, XML document
            guard let length = bytes.u32be(cursor) else { return false }
            return skip(4) && skip(Int(length))
        case 0x10:  // typed object
            return shortString() != nil && skipPairs(depth: depth)
        default: return false
        }
    }

    /// Skips name–value pairs through the end marker (an empty name and `09`).
    private mutating func skipPairs(depth: Int) -> Bool {
        while cursor < bytes.count {
            guard let name = shortString(), let type = byte() else { return false }
            if name.isEmpty, type == 0x09 { return true }
            guard skipValue(type: type, depth: depth + 1) else { return false }
        }
        return false
    }

    private mutating func byte() -> UInt8? {
        guard let value = bytes.u8(cursor) else { return nil }
        cursor += 1
        return value
    }

    /// A string with a 16-bit length.
    private mutating func shortString() -> String? {
        guard let length = bytes.u16be(cursor), cursor + 2 + Int(length) <= bytes.count else { return nil }
        let text = String(decoding: bytes[(cursor + 2)..<(cursor + 2 + Int(length))], as: UTF8.self)
        cursor += 2 + Int(length)
        return text
    }

    private mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, count <= bytes.count - cursor else { return false }
        cursor += count
        return true
    }
}
