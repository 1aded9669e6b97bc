/// One Ogg page header, parsed from a byte buffer: `OggS`, version 0, header type, granule position, serial
/// number, sequence number, CRC and the segment (lacing) table.
struct OggPage {
    /// Where the page starts in the buffer it was parsed from.
    let offset: Int
    /// The header-type flags: 0x01 continued packet, 0x02 beginning of stream, 0x04 end of stream.
    let headerType: UInt8
    /// The granule position; -1 when no packet ends on this page.
    let granule: Int64
    /// The logical stream's serial number.
    let serial: UInt32
    /// The lacing values, one per segment.
    let lacing: [UInt8]
    /// The header's length: 27 bytes plus one per segment.
    let headerLength: Int
    /// The body's length: the sum of the lacing values.
    let bodyLength: Int

    /// The page's length, header and body.
    var length: Int { headerLength + bodyLength }
    /// Whether the page begins a logical stream.
    var beginsStream: Bool { headerType & 0x02 != 0 }
    /// Whether the page's first packet continues one from the previous page.
    var continuesPacket: Bool { headerType & 0x01 != 0 }

    /// Parses the header at `offset`; `nil` when there is no version-0 `OggS` header wholly in `bytes`.
    /// The body may run past the end of `bytes`.
    init?(_ bytes: [UInt8], at offset: Int) {
        guard bytes.hasASCII("OggS", at: offset), bytes.u8(offset + 4) == 0, let type = bytes.u8(offset + 5),
            let granule = bytes.u64le(offset + 6), let serial = bytes.u32le(offset + 14),
            let segments = bytes.u8(offset + 26)
        else { return nil }
        let lacingStart = offset + 27
        guard lacingStart + Int(segments) <= bytes.count else { return nil }
        self.offset = offset
        headerType = type
        self.granule = Int64(bitPattern: granule)
        self.serial = serial
        lacing = Array(bytes[lacingStart..<(lacingStart + Int(segments))])
        headerLength = 27 + Int(segments)
        bodyLength = lacing.reduce(0) { $0 + Int($1) }
    }

    /// Whether the whole page lies in `bytes`.
    func fits(in bytes: [UInt8]) -> Bool { offset + length <= bytes.count }

    /// The packet pieces on this page, in order: where each starts in `bytes`, its length, and whether the
    /// packet ends on this page (a lacing value below 255).
    func pieces(in bytes: [UInt8]) -> [(start: Int, length: Int, completes: Bool)] {
        var result: [(start: Int, length: Int, completes: Bool)] = []
        var start = offset + headerLength
        var length = 0
        for value in lacing {
            length += Int(value)
            if value < 255 {
                result.append((start, length, true))
                start += length
                length = 0
            }
        }
        if lacing.last == 255 { result.append((start, length, false)) }
        return result
    }

    /// Whether the page's CRC (polynomial 0x04C11DB7 over the page with the CRC field zeroed) matches.
    /// `false` when the page does not fit in `bytes`.
    func hasValidChecksum(in bytes: [UInt8]) -> Bool {
        guard fits(in: bytes), let stored = bytes.u32le(offset + 22) else { return false }
        var crc: UInt32 = 0
        for index in offset..<(offset + length) {
            let byte = index >= offset + 22 && index < offset + 26 ? 0 : bytes[index]
            crc = (crc << 8) ^ OggPage.crcTable[Int((crc >> 24) ^ UInt32(byte))]
        }
        return crc == stored
    }

    private static let crcTable: [UInt32] = (0..<256).map { index -> UInt32 in
        var value = UInt32(index) << 24
        for _ in 0..<8 { value = value & 0x8000_0000 != 0 ? (value << 1) ^ 0x04C1_1DB7 : value << 1 }
        return value
    }
}
