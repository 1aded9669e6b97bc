/// How transport stream packets are laid out in a file: 188-byte packets, or the 192-byte packets of
/// BDAV/M2TS (a 4-byte time code before each), and where the first whole packet starts.
struct MPEGTSPacketLayout: Equatable {
    /// Bytes from one packet to the next.
    var stride: Int
    /// Bytes before the sync byte within each packet (0, or 4 for M2TS).
    var prefix: Int

    /// The transport packet itself, without the M2TS time code.
    static let packetSize = 188
    /// The byte every packet starts with.
    static let syncByte: UInt8 = 0x47
    /// The layouts tried, plain first.
    static let candidates = [MPEGTSPacketLayout(stride: 188, prefix: 0), MPEGTSPacketLayout(stride: 192, prefix: 4)]

    /// The layout of `bytes` and the offset of its first sync byte, when packets line up.
    ///
    /// Strict (for recognizing a file by its head): packets start at the first byte (after the M2TS time
    /// code), with at least 3 sync bytes in a row, up to 8 when the head holds that many; or, for a stream cut
    /// mid-packet, 8 in a row from within the first packet. Lenient (for a window cut from the middle): the
    /// first offset from which 3 sync bytes in a row follow.
    static func detect(in bytes: [UInt8], strict: Bool) -> (layout: MPEGTSPacketLayout, sync: Int)? {
        for layout in candidates {
            if strict {
                let available = (bytes.count - layout.prefix) / layout.stride
                let needed = min(8, available)
                if needed >= 3, layout.aligned(bytes, at: layout.prefix, count: needed) {
                    return (layout, layout.prefix)
                }
                for sync in 0..<layout.stride where layout.aligned(bytes, at: sync, count: 8) {
                    return (layout, sync)
                }
            } else if let sync = layout.resync(bytes, from: 0) {
                return (layout, sync)
            }
        }
        return nil
    }

    /// Whether `count` sync bytes follow one another at this stride from `offset`.
    func aligned(_ bytes: [UInt8], at offset: Int, count: Int) -> Bool {
        guard offset >= 0, count >= 1 else { return false }
        for index in 0..<count {
            let position = offset + index * stride
            guard position < bytes.count, bytes[position] == Self.syncByte else { return false }
        }
        return true
    }

    /// The first offset at or after `start` from which 3 sync bytes in a row follow (or as many as fit, at
    /// least 1, at the very end of the buffer).
    func resync(_ bytes: [UInt8], from start: Int) -> Int? {
        var position = max(0, start)
        while position + Self.packetSize <= bytes.count {
            if bytes[position] == Self.syncByte {
                let fitting = (bytes.count - position - Self.packetSize) / stride + 1
                if aligned(bytes, at: position, count: min(3, fitting)) { return position }
            }
            position += 1
        }
        return nil
    }

    /// Calls `body` with the offset of each whole packet's sync byte in `bytes`, from `sync`, resynchronizing
    /// after a lost sync byte. Stops when `body` returns `false`.
    func forEachPacket(in bytes: [UInt8], from sync: Int, _ body: (Int) -> Bool) {
        var position = sync
        var visited = 0
        let limit = 2 * (bytes.count / Self.packetSize) + 2
        while position >= 0, position + Self.packetSize <= bytes.count, visited < limit {
            visited += 1
            if bytes[position] != Self.syncByte {
                guard let next = resync(bytes, from: position + 1) else { return }
                position = next
                continue
            }
            if !body(position) { return }
            position += stride
        }
    }
}
