/// The codec of an Ogg logical stream, told from its first (identification) packet, with what is needed
/// to turn its granule positions into seconds.
enum OggCodec {
    /// Vorbis: the granule is the sample count.
    case vorbis(sampleRate: UInt32)
    /// Opus: the granule counts 48 kHz samples, the first `preSkip` of which are discarded.
    case opus(preSkip: UInt16)
    /// Theora: the granule is the last keyframe's number shifted left by `granuleShift`, plus the frames
    /// since; `version` is major << 16 | minor << 8 | revision.
    case theora(frameRateNumerator: UInt32, frameRateDenominator: UInt32, granuleShift: Int, version: UInt32)
    /// FLAC in Ogg: the granule is the sample count.
    case flac(sampleRate: UInt32)

    /// Reads the identification packet `packet` (as much of it as the first page holds).
    ///
    /// - Returns: `nil` when the packet is of no codec known here (Skeleton, Kate, Speex, …).
    /// - Throws: ``ProbeFailure/malformed(_:)`` when the packet names a known codec but its rate is zero
    ///   or missing; `offset` is where the page is, for the reason.
    init?(identification packet: [UInt8], pageOffset offset: Int) throws {
        if packet.u8(0) == 0x01, packet.hasASCII("vorbis", at: 1) {
            guard let rate = packet.u32le(12), rate > 0 else {
                throw ProbeFailure.malformed("the Vorbis identification header at byte \(offset) has no sample rate")
            }
            self = .vorbis(sampleRate: rate)
        } else if packet.hasASCII("OpusHead", at: 0) {
            guard let preSkip = packet.u16le(10) else {
                throw ProbeFailure.malformed("the OpusHead packet at byte \(offset) is shorter than 12 bytes")
            }
            self = .opus(preSkip: preSkip)
        } else if packet.u8(0) == 0x80, packet.hasASCII("theora", at: 1) {
            guard let major = packet.u8(7), let minor = packet.u8(8), let revision = packet.u8(9),
                let numerator = packet.u32be(22), let denominator = packet.u32be(26), numerator > 0,
                denominator > 0, let shiftField = packet.u16be(40)
            else {
                throw ProbeFailure.malformed("the Theora identification header at byte \(offset) has no frame rate")
            }
            self = .theora(
                frameRateNumerator: numerator, frameRateDenominator: denominator,
                granuleShift: Int(shiftField >> 5) & 0x1F,
                version: UInt32(major) << 16 | UInt32(minor) << 8 | UInt32(revision))
        } else if packet.u8(0) == 0x7F, packet.hasASCII("FLAC", at: 1) {
            guard packet.hasASCII("fLaC", at: 9), let rateField = packet.bigEndian(27, width: 3), rateField >> 4 > 0
            else {
                throw ProbeFailure.malformed("the Ogg FLAC header at byte \(offset) has no STREAMINFO sample rate")
            }
            self = .flac(sampleRate: UInt32(rateField >> 4))
        } else {
            return nil
        }
    }

    /// What the stream holds.
    var kind: MediaKind {
        if case .theora = self { return .video }
        return .audio
    }

    /// How many header packets come before the first data packet, when fixed by the codec.
    var headerPacketCount: Int? {
        switch self {
        case .vorbis, .theora: return 3
        case .opus: return 2
        case .flac: return nil
        }
    }

    /// The granule position `granule` as a position in the stream's own units (samples, or frames for
    /// Theora), counting what was presented through the page's last complete packet.
    func units(ofGranule granule: Int64) -> Int64 {
        guard case .theora(_, _, let shift, let version) = self else { return granule }
        let keyframe = granule >> Int64(shift)
        let sinceKeyframe = granule & ((Int64(1) << Int64(shift)) &- 1)
        return keyframe &+ sinceKeyframe &+ (version < 0x03_02_01 ? 1 : 0)
    }

    /// The seconds from the stream's start (`startUnits`, in the units of ``units(ofGranule:)``) to the end
    /// position `endUnits`, removing Opus pre-skip; never negative.
    func seconds(from startUnits: Int64, to endUnits: Int64) -> Double {
        let span = Double(endUnits) - Double(startUnits)
        let value: Double
        switch self {
        case .vorbis(let rate), .flac(let rate): value = span / Double(rate)
        case .opus(let preSkip): value = (span - Double(preSkip)) / 48_000
        case .theora(let numerator, let denominator, _, _): value = span * Double(denominator) / Double(numerator)
        }
        return max(0, value)
    }
}
