/// The header of one 188-byte transport stream packet: its PID and where its payload lies.
struct MPEGTSPacket {
    /// The packet identifier.
    var pid: Int
    /// Whether a PES packet or a table section starts in this packet.
    var unitStart: Bool
    /// The payload's first byte in the buffer.
    var payloadStart: Int
    /// One past the payload's last byte in the buffer.
    var payloadEnd: Int

    /// The packet whose sync byte is at `sync`, or `nil` when it is marked as damaged, carries no payload, or
    /// its adaptation field overruns it.
    init?(_ bytes: [UInt8], sync: Int) {
        guard sync >= 0, sync + MPEGTSPacketLayout.packetSize <= bytes.count, bytes[sync] == MPEGTSPacketLayout.syncByte
        else { return nil }
        let flags = bytes[sync + 1]
        guard flags & 0x80 == 0 else { return nil }  // transport_error_indicator
        pid = Int(flags & 0x1F) << 8 | Int(bytes[sync + 2])
        unitStart = flags & 0x40 != 0
        let control = (bytes[sync + 3] >> 4) & 0x03
        guard control & 0x01 != 0 else { return nil }  // no payload
        var start = sync + 4
        if control & 0x02 != 0 { start += 1 + Int(bytes[sync + 4]) }
        payloadEnd = sync + MPEGTSPacketLayout.packetSize
        guard start < payloadEnd else { return nil }
        payloadStart = start
    }

    /// The PES header starting in this packet, when one does.
    func pesHeader(_ bytes: [UInt8]) -> MPEGPESHeader? {
        guard unitStart else { return nil }
        return MPEGPESHeader.parse(bytes, at: payloadStart, end: payloadEnd)
    }
}
