/// The start of one PES packet (ISO/IEC 13818-1 §2.4.3.6), as carried by transport and program streams.
///
/// Only what the duration needs: the stream id, the declared length, the presentation time stamp and where
/// the payload begins. Both the MPEG-2 header and the MPEG-1 (ISO/IEC 11172-1) form are read.
struct MPEGPESHeader {
    /// The PES stream id (`0xE0`–`0xEF` video, `0xC0`–`0xDF` audio, `0xBD` private stream 1, …).
    var streamID: UInt8
    /// The declared `PES_packet_length`: the bytes that follow the length field; 0 means unbounded.
    var packetLength: Int
    /// The 33-bit presentation time stamp in 90 kHz ticks, when the header has one.
    var pts: UInt64?
    /// Where the payload starts in the buffer that was parsed.
    var payloadOffset: Int

    /// Stream ids whose packets have no optional header: program stream map, padding, private stream 2,
    /// ECM, EMM, program stream directory, DSM-CC, H.222.1 type E.
    private static let headerlessIDs: Set<UInt8> = [0xBC, 0xBE, 0xBF, 0xF0, 0xF1, 0xFF, 0xF2, 0xF8]

    /// Parses the PES header that starts at `offset` (at its `00 00 01` prefix), reading no byte at or
    /// past `end`. Returns `nil` when the bytes are not a PES header or the header is cut off.
    static func parse(_ bytes: [UInt8], at offset: Int, end: Int) -> MPEGPESHeader? {
        let limit = min(end, bytes.count)
        guard offset >= 0, offset <= limit - 6, bytes[offset] == 0, bytes[offset + 1] == 0,
            bytes[offset + 2] == 1
        else { return nil }
        let streamID = bytes[offset + 3]
        guard streamID >= 0xBC, let length = bytes.u16be(offset + 4) else { return nil }
        var header = MPEGPESHeader(
            streamID: streamID, packetLength: Int(length), pts: nil, payloadOffset: offset + 6)
        if headerlessIDs.contains(streamID) { return header }
        guard let first = bytes.u8(offset + 6), offset + 6 < limit else { return nil }
        if first & 0xC0 == 0x80 {
            // MPEG-2: flags, PTS_DTS_flags, PES_header_data_length, then the optional fields.
            guard offset + 9 <= limit, let flags = bytes.u8(offset + 7), let headerLength = bytes.u8(offset + 8)
            else { return nil }
            header.payloadOffset = offset + 9 + Int(headerLength)
            if flags & 0x80 != 0 {
                guard offset + 14 <= limit else { return nil }
                header.pts = decodeTimestamp(bytes, at: offset + 9)
            }
            return header
        }
        return parseMPEG1(bytes, header: header, limit: limit)
    }

    /// The MPEG-1 packet header: up to 16 stuffing bytes, an optional STD buffer field, then `0010` PTS,
    /// `0011` PTS and DTS, or `0000 1111` for none.
    private static func parseMPEG1(_ bytes: [UInt8], header: MPEGPESHeader, limit: Int) -> MPEGPESHeader? {
        var header = header
        var cursor = header.payloadOffset
        var stuffing = 0
        while cursor < limit, bytes[cursor] == 0xFF, stuffing < 16 {
            cursor += 1
            stuffing += 1
        }
        guard cursor < limit else { return nil }
        if bytes[cursor] & 0xC0 == 0x40 { cursor += 2 }
        guard cursor < limit else { return nil }
        let marker = bytes[cursor] & 0xF0
        if marker == 0x20 {
            guard cursor + 5 <= limit else { return nil }
            header.pts = decodeTimestamp(bytes, at: cursor)
            header.payloadOffset = cursor + 5
        } else if marker == 0x30 {
            guard cursor + 10 <= limit else { return nil }
            header.pts = decodeTimestamp(bytes, at: cursor)
            header.payloadOffset = cursor + 10
        } else if bytes[cursor] == 0x0F {
            header.payloadOffset = cursor + 1
        } else {
            return nil
        }
        return header
    }

    /// The 33-bit time stamp packed in 5 bytes with marker bits, as used for PTS, DTS and SCR fields.
    static func decodeTimestamp(_ bytes: [UInt8], at offset: Int) -> UInt64? {
        guard let b0 = bytes.u8(offset), let b12 = bytes.u16be(offset + 1), let b34 = bytes.u16be(offset + 3)
        else { return nil }
        let high = UInt64((b0 >> 1) & 0x07) << 30
        let middle = UInt64(b12 >> 1) << 15
        let low = UInt64(b34 >> 1)
        return high | middle | low
    }
}
