/// How long one frame lasts, in 90 kHz ticks, read from the first bytes of an elementary stream.
///
/// A duration from time stamps is last PTS − first PTS, one frame short; ffprobe adds the duration of one
/// frame as its codec defines it (an MPEG audio frame, an AAC frame, a video frame at the stream's rate), so
/// this reads those definitions from the frame headers found at the start of a PES payload.
enum MPEGPESFrameDuration {
    /// The PES clock rate.
    static let clock: Int64 = 90_000

    /// Ticks of one audio frame, from an MPEG audio, ADTS AAC or (E-)AC-3 frame header found within the first
    /// 64 bytes of `payload`, or from an Opus access unit at its start; `nil` when none is found.
    static func audioFrameTicks(in payload: ArraySlice<UInt8>) -> Int64? {
        let bytes = Array(payload.prefix(72))
        if let milliseconds = opusPacketTenthsOfMilliseconds(bytes) {
            return ticks(numerator: Int64(milliseconds), denominator: 10_000)
        }
        for start in 0..<max(0, min(64, bytes.count - 6)) {
            if let (samples, rate) = audioFrame(bytes, at: start) {
                return ticks(numerator: Int64(samples), denominator: Int64(rate))
            }
        }
        return nil
    }

    /// Ticks of one video frame, from the frame rate code of an MPEG-1 or MPEG-2 sequence header
    /// (`00 00 01 B3`) found in `payload`; `nil` when there is none.
    static func videoFrameTicks(in payload: ArraySlice<UInt8>) -> Int64? {
        let bytes = Array(payload.prefix(4096))
        guard bytes.count >= 8 else { return nil }
        for start in 0...(bytes.count - 8)
        where bytes[start] == 0 && bytes[start + 1] == 0 && bytes[start + 2] == 1 && bytes[start + 3] == 0xB3 {
            let code = Int(bytes[start + 7] & 0x0F)
            // (numerator, denominator) of the frame period for frame_rate_code 1…8.
            let periods: [(Int64, Int64)] = [
                (1001, 24_000), (1, 24), (1, 25), (1001, 30_000), (1, 30), (1, 50), (1001, 60_000), (1, 60),
            ]
            guard code >= 1, code <= periods.count else { return nil }
            let (numerator, denominator) = periods[code - 1]
            return ticks(numerator: numerator, denominator: denominator)
        }
        return nil
    }

    /// `numerator / denominator` seconds in whole ticks, rounded down as ffprobe does.
    private static func ticks(numerator: Int64, denominator: Int64) -> Int64? {
        guard denominator > 0, numerator > 0, numerator < 1 << 32 else { return nil }
        return numerator * clock / denominator
    }

    /// (samples per frame, sample rate) of the audio frame header at `start`, or `nil`.
    private static func audioFrame(_ bytes: [UInt8], at start: Int) -> (Int, Int)? {
        guard let b0 = bytes.u8(start), let b1 = bytes.u8(start + 1), let b2 = bytes.u8(start + 2) else {
            return nil
        }
        if b0 == 0xFF, b1 & 0xF6 == 0xF0 { return adts(b2) }
        if b0 == 0xFF, b1 & 0xE0 == 0xE0 { return mpegAudio(b1, b2) }
        if b0 == 0x0B, b1 == 0x77, let b4 = bytes.u8(start + 4), let b5 = bytes.u8(start + 5) {
            return ac3(b4, b5)
        }
        return nil
    }

    /// ADTS AAC: 1024 samples a frame; the sampling frequency index is in the third byte.
    private static func adts(_ b2: UInt8) -> (Int, Int)? {
        let rates = [
            96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000, 7_350,
        ]
        let index = Int((b2 >> 2) & 0x0F)
        guard index < rates.count else { return nil }
        return (1024, rates[index])
    }

    /// MPEG-1/2/2.5 audio layers I–III.
    private static func mpegAudio(_ b1: UInt8, _ b2: UInt8) -> (Int, Int)? {
        let version = (b1 >> 3) & 0x03  // 0: MPEG-2.5, 2: MPEG-2, 3: MPEG-1
        let layer = (b1 >> 1) & 0x03  // 1: III, 2: II, 3: I
        let bitrateIndex = b2 >> 4
        let rateIndex = Int((b2 >> 2) & 0x03)
        guard version != 1, layer != 0, bitrateIndex != 0x0F, rateIndex != 3 else { return nil }
        let base = [44_100, 48_000, 32_000][rateIndex]
        let rate = version == 3 ? base : (version == 2 ? base / 2 : base / 4)
        let samples: Int
        switch layer {
        case 3: samples = 384
        case 2: samples = 1152
        default: samples = version == 3 ? 1152 : 576
        }
        return (samples, rate)
    }

    /// The duration of the Opus packet after the control header (ETSI TS 102 366 style, prefix `0x7FE`) that
    /// starts `bytes`, in tenths of milliseconds, from the packet's TOC byte (RFC 6716 §3.1).
    private static func opusPacketTenthsOfMilliseconds(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 3, bytes[0] == 0x7F, bytes[1] & 0xE0 == 0xE0 else { return nil }
        let flags = bytes[1]
        var cursor = 2
        while cursor < bytes.count, bytes[cursor] == 0xFF { cursor += 1 }  // au_size
        cursor += 1
        if flags & 0x10 != 0 { cursor += 2 }  // start trim
        if flags & 0x08 != 0 { cursor += 2 }  // end trim
        if flags & 0x04 != 0 {  // control extension
            guard let length = bytes.u8(cursor) else { return nil }
            cursor += 1 + Int(length)
        }
        guard let toc = bytes.u8(cursor) else { return nil }
        let config = Int(toc >> 3)
        let frameTenths: Int
        switch config {
        case 0...11: frameTenths = [100, 200, 400, 600][config % 4]
        case 12...15: frameTenths = [100, 200][config % 2]
        default: frameTenths = [25, 50, 100, 200][config % 4]
        }
        let frames: Int
        switch toc & 0x03 {
        case 0: frames = 1
        case 1, 2: frames = 2
        default:
            guard let count = bytes.u8(cursor + 1), count & 0x3F > 0 else { return nil }
            frames = Int(count & 0x3F)
        }
        return frameTenths * frames
    }

    /// AC-3 (bsid ≤ 10): 1536 samples; E-AC-3 (bsid 11–16): 256 × 1, 2, 3 or 6 blocks.
    private static func ac3(_ b4: UInt8, _ b5: UInt8) -> (Int, Int)? {
        let bsid = b5 >> 3
        let fscod = Int(b4 >> 6)
        let rates = [48_000, 44_100, 32_000]
        if bsid <= 10 {
            guard fscod < 3 else { return nil }
            return (1536, rates[fscod])
        }
        guard bsid <= 16 else { return nil }
        if fscod == 3 {
            let reduced = Int((b4 >> 4) & 0x03)
            guard reduced < 3 else { return nil }
            return (1536, rates[reduced] / 2)
        }
        let blocks = [1, 2, 3, 6][Int((b4 >> 4) & 0x03)]
        return (256 * blocks, rates[fscod])
    }
}
