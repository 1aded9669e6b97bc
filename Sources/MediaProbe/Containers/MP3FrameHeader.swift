/// The four-byte header of one MPEG audio frame (MPEG 1, 2 and 2.5; layers I, II and III).
///
/// Only headers whose version, layer, bitrate index and sample-rate index are all valid parse; a free-format
/// bitrate (index 0) is refused, since its frame length cannot be computed from the header.
struct MP3FrameHeader: Equatable {
    /// The MPEG version: 1, 2, or 25 for MPEG 2.5.
    let version: Int
    /// The layer: 1, 2 or 3.
    let layer: Int
    /// The bitrate in bits per second.
    let bitrate: Int
    /// The sample rate in hertz.
    let sampleRate: Int
    /// Whether a padding slot is added to this frame.
    let padded: Bool
    /// Whether a 16-bit CRC follows the header.
    let protected: Bool
    /// Whether the channel mode is single channel (mono).
    let mono: Bool

    /// Parses the header at `offset` of `bytes`; `nil` when the four bytes are not a valid frame header.
    init?(_ bytes: [UInt8], at offset: Int) {
        guard let b0 = bytes.u8(offset), let b1 = bytes.u8(offset + 1), let b2 = bytes.u8(offset + 2),
            let b3 = bytes.u8(offset + 3)
        else { return nil }
        guard b0 == 0xFF, b1 & 0xE0 == 0xE0 else { return nil }
        let versionBits = Int(b1 >> 3) & 0x3
        let layerBits = Int(b1 >> 1) & 0x3
        let bitrateIndex = Int(b2 >> 4) & 0xF
        let rateIndex = Int(b2 >> 2) & 0x3
        guard versionBits != 1, layerBits != 0, bitrateIndex != 0, bitrateIndex != 15, rateIndex != 3 else {
            return nil
        }
        version = versionBits == 3 ? 1 : (versionBits == 2 ? 2 : 25)
        layer = 4 - layerBits
        let table: [Int]
        switch (version, layer) {
        case (1, 1): table = MP3FrameHeader.mpeg1Layer1
        case (1, 2): table = MP3FrameHeader.mpeg1Layer2
        case (1, _): table = MP3FrameHeader.mpeg1Layer3
        case (_, 1): table = MP3FrameHeader.mpeg2Layer1
        default: table = MP3FrameHeader.mpeg2Layer2And3
        }
        bitrate = table[bitrateIndex - 1] * 1000
        let baseRate = [44100, 48000, 32000][rateIndex]
        sampleRate = version == 1 ? baseRate : (version == 2 ? baseRate / 2 : baseRate / 4)
        padded = b2 & 0x02 != 0
        protected = b1 & 0x01 == 0
        mono = b3 >> 6 == 3
    }

    /// Samples per channel that one frame decodes to.
    var samplesPerFrame: Int {
        switch layer {
        case 1: return 384
        case 2: return 1152
        default: return version == 1 ? 1152 : 576
        }
    }

    /// The frame's length in bytes, header included.
    var frameLength: Int {
        switch layer {
        case 1: return (12 * bitrate / sampleRate + (padded ? 1 : 0)) * 4
        case 3 where version != 1: return 72 * bitrate / sampleRate + (padded ? 1 : 0)
        default: return 144 * bitrate / sampleRate + (padded ? 1 : 0)
        }
    }

    /// The size of the layer III side information that follows the header (and its CRC).
    var sideInfoLength: Int {
        if version == 1 { return mono ? 17 : 32 }
        return mono ? 9 : 17
    }

    /// Whether `other` can be the next frame of the same stream: same version, layer, sample rate and
    /// channel count.
    func continues(with other: MP3FrameHeader) -> Bool {
        version == other.version && layer == other.layer && sampleRate == other.sampleRate
            && mono == other.mono
    }

    private static let mpeg1Layer1 = [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448]
    private static let mpeg1Layer2 = [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384]
    private static let mpeg1Layer3 = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    private static let mpeg2Layer1 = [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256]
    private static let mpeg2Layer2And3 = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
}
