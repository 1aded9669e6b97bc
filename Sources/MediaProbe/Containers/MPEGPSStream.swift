/// Which elementary stream a program-stream PES packet belongs to.
struct MPEGPSStream {
    /// The stream id, or for private stream 1 `0x100` plus the sub-stream id.
    var key: Int
    var media: MPEGPESTimeline.Media
    /// Where the elementary stream data starts (after a private stream's sub-stream header).
    var payloadStart: Int

    /// The stream of the packet with `header`, or `nil` when it is not audio or video: video `E0`–`EF`, MPEG
    /// audio `C0`–`DF`; in private stream 1, AC-3 and DTS (`80`–`8F`), LPCM (`A0`–`AF`) and E-AC-3
    /// (`C0`–`CF`) sub-streams.
    init?(_ header: MPEGPESHeader, in bytes: [UInt8], end: Int) {
        let id = header.streamID
        payloadStart = header.payloadOffset
        switch id {
        case 0xE0...0xEF:
            key = Int(id)
            media = .video
        case 0xC0...0xDF:
            key = Int(id)
            media = .audio
        case 0xBD:
            guard header.payloadOffset < end, let sub = bytes.u8(header.payloadOffset) else { return nil }
            key = 0x100 | Int(sub)
            media = .audio
            switch sub {
            case 0x80...0x8F, 0xC0...0xCF: payloadStart += 4
            case 0xA0...0xAF: payloadStart += 7
            default: return nil
            }
        default:
            return nil
        }
    }
}
