/// The frame-count headers an encoder writes into the first MPEG audio frame: Xing (`Xing` for VBR,
/// `Info` for CBR, written by LAME and ffmpeg) and VBRI (Fraunhofer).
enum MP3VBRHeaders {
    /// The number of audio frames declared by a Xing or Info header in `frame` (the first frame's bytes),
    /// or `nil` when there is none or it does not carry the count.
    ///
    /// The header follows the side information; with a CRC-protected header it may follow the CRC too, so
    /// both places are looked at.
    static func xingFrameCount(_ frame: [UInt8], header: MP3FrameHeader) -> UInt32? {
        let base = 4 + header.sideInfoLength
        let candidates = header.protected ? [base, base + 2] : [base]
        for offset in candidates where frame.hasASCII("Xing", at: offset) || frame.hasASCII("Info", at: offset) {
            guard let flags = frame.u32be(offset + 4) else { return nil }
            guard flags & 0x1 != 0, let frames = frame.u32be(offset + 8), frames > 0 else { return nil }
            return frames
        }
        return nil
    }

    /// The number of audio frames declared by a VBRI header in `frame`, or `nil` when there is none.
    ///
    /// VBRI sits 32 bytes after the frame header: `VBRI`, version, delay, quality (2 bytes each), the
    /// stream's byte count and its frame count (4 bytes each, big-endian).
    static func vbriFrameCount(_ frame: [UInt8]) -> UInt32? {
        let offset = 4 + 32
        guard frame.hasASCII("VBRI", at: offset), let frames = frame.u32be(offset + 14), frames > 0 else {
            return nil
        }
        return frames
    }
}
