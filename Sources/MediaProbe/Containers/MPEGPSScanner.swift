/// Walks the system layer of an MPEG program stream (ISO/IEC 11172-1 and 13818-1 §2.5): pack headers, system
/// headers and PES packets, each skipped by its own length, so that start codes inside payloads are not
/// mistaken for packets.
enum MPEGPSScanner {
    /// The start code of a pack header.
    static let packStartCode: UInt8 = 0xBA

    /// The length of the pack header at `offset` (MPEG-1: 12 bytes; MPEG-2: 14 plus stuffing), when its
    /// marker bits are right.
    static func packHeaderLength(_ bytes: [UInt8], at offset: Int) -> Int? {
        guard bytes.hasStartCode(at: offset), bytes.u8(offset + 3) == packStartCode,
            let b4 = bytes.u8(offset + 4), let b6 = bytes.u8(offset + 6), let b8 = bytes.u8(offset + 8),
            let b9 = bytes.u8(offset + 9)
        else { return nil }
        if b4 & 0xC4 == 0x44 {
            guard b6 & 0x04 != 0, b8 & 0x04 != 0, b9 & 0x01 != 0, let b12 = bytes.u8(offset + 12),
                b12 & 0x03 == 0x03, let b13 = bytes.u8(offset + 13)
            else { return nil }
            return 14 + Int(b13 & 0x07)
        }
        if b4 & 0xF1 == 0x21 {
            guard b6 & 0x01 != 0, b8 & 0x01 != 0, b9 & 0x80 != 0, let b11 = bytes.u8(offset + 11), b11 & 0x01 != 0
            else { return nil }
            return 12
        }
        return nil
    }

    /// Calls `body` with each audio, video or private-stream-1 PES header in `bytes` from `start`, and the
    /// end of its packet (clipped to the buffer). With `syncToPack`, the walk starts at the first valid pack
    /// header, as a window cut from the middle of a file must.
    static func forEachPES(
        in bytes: [UInt8], from start: Int, syncToPack: Bool, _ body: (MPEGPESHeader, Int) -> Void
    ) {
        var cursor = start
        if syncToPack {
            guard let pack = firstPack(in: bytes, from: start) else { return }
            cursor = pack
        }
        var steps = 0
        let limit = bytes.count  // every step moves on by at least 3 bytes
        while steps < limit, let code = nextStartCode(in: bytes, from: cursor) {
            steps += 1
            let id = bytes[code + 3]
            switch id {
            case packStartCode:
                cursor = code + (packHeaderLength(bytes, at: code) ?? 4)
            case 0xBB...0xFF:
                guard let length = bytes.u16be(code + 4) else { return }
                let end = min(bytes.count, code + 6 + Int(length))
                if id == 0xBD || (0xC0...0xEF).contains(id),
                    let header = MPEGPESHeader.parse(bytes, at: code, end: end)
                {
                    body(header, end)
                }
                cursor = length == 0 ? code + 6 : code + 6 + Int(length)
            default:
                cursor = code + 3  // an end code, or an elementary-stream start code: not a packet
            }
        }
    }

    /// The offset of the first valid pack header at or after `start`.
    static func firstPack(in bytes: [UInt8], from start: Int) -> Int? {
        var cursor = start
        while let code = nextStartCode(in: bytes, from: cursor) {
            if bytes[code + 3] == packStartCode, packHeaderLength(bytes, at: code) != nil { return code }
            cursor = code + 3
        }
        return nil
    }

    /// The offset of the next `00 00 01 xx` at or after `start` that has its fourth byte in the buffer.
    static func nextStartCode(in bytes: [UInt8], from start: Int) -> Int? {
        var cursor = max(0, start)
        while cursor + 3 < bytes.count {
            if bytes[cursor + 2] > 1 {
                cursor += 3
            } else if bytes[cursor] == 0, bytes[cursor + 1] == 0, bytes[cursor + 2] == 1 {
                return cursor
            } else {
                cursor += 1
            }
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    /// Whether `00 00 01` starts at `offset`.
    fileprivate func hasStartCode(at offset: Int) -> Bool {
        offset >= 0 && offset + 3 <= count && self[offset] == 0 && self[offset + 1] == 0 && self[offset + 2] == 1
    }
}
