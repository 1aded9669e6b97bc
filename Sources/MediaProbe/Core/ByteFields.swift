/// Reads fixed-size integers out of a byte array at an offset, in either byte order.
///
/// Every accessor returns `nil` when the field would run past the end, so that container readers never
/// trap on a short or hostile file.
extension Array where Element == UInt8 {
    /// The byte at `offset`.
    func u8(_ offset: Int) -> UInt8? {
        offset >= 0 && offset < count ? self[offset] : nil
    }

    /// A big-endian unsigned integer of `width` bytes (1 to 8) at `offset`.
    func bigEndian(_ offset: Int, width: Int) -> UInt64? {
        guard width >= 1, width <= 8, offset >= 0, offset <= count - width else { return nil }
        var value: UInt64 = 0
        for index in offset..<(offset + width) { value = value << 8 | UInt64(self[index]) }
        return value
    }

    /// A little-endian unsigned integer of `width` bytes (1 to 8) at `offset`.
    func littleEndian(_ offset: Int, width: Int) -> UInt64? {
        guard width >= 1, width <= 8, offset >= 0, offset <= count - width else { return nil }
        var value: UInt64 = 0
        for index in (offset..<(offset + width)).reversed() { value = value << 8 | UInt64(self[index]) }
        return value
    }

    func u16be(_ offset: Int) -> UInt16? { bigEndian(offset, width: 2).map { UInt16($0) } }
    func u32be(_ offset: Int) -> UInt32? { bigEndian(offset, width: 4).map { UInt32($0) } }
    func u64be(_ offset: Int) -> UInt64? { bigEndian(offset, width: 8) }
    func u16le(_ offset: Int) -> UInt16? { littleEndian(offset, width: 2).map { UInt16($0) } }
    func u32le(_ offset: Int) -> UInt32? { littleEndian(offset, width: 4).map { UInt32($0) } }
    func u64le(_ offset: Int) -> UInt64? { littleEndian(offset, width: 8) }

    /// Whether the bytes at `offset` are the ASCII text `text`.
    func hasASCII(_ text: String, at offset: Int) -> Bool {
        let pattern = Array(text.utf8)
        guard offset >= 0, offset <= count - pattern.count else { return false }
        return self[offset..<(offset + pattern.count)].elementsEqual(pattern)
    }
}
