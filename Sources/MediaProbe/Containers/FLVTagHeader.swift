/// The 11-byte header of an FLV tag: type, data size, and the 24-bit timestamp with its 8-bit extension.
struct FLVTagHeader {
    /// 8 audio, 9 video, 18 script data.
    var type: UInt8
    /// The bytes of tag data after this header.
    var dataSize: Int
    /// Milliseconds: the 24-bit timestamp below the 8-bit extension.
    var timestamp: UInt32

    /// The header size.
    static let size = 11
    /// Tag types.
    static let audio: UInt8 = 8
    static let video: UInt8 = 9
    static let script: UInt8 = 18

    /// The header at `offset` of `bytes`, when it is whole and of a known tag type.
    init?(_ bytes: [UInt8], at offset: Int) {
        guard let first = bytes.u8(offset), let size = bytes.bigEndian(offset + 1, width: 3),
            let low = bytes.bigEndian(offset + 4, width: 3), let extended = bytes.u8(offset + 7)
        else { return nil }
        type = first & 0x1F
        guard [Self.audio, Self.video, Self.script].contains(type) else { return nil }
        dataSize = Int(size)
        timestamp = UInt32(extended) << 24 | UInt32(low)
    }
}
