/// Reads Ogg files: Vorbis, Opus, Theora and FLAC streams.
///
/// The codec comes from the identification packet on each beginning-of-stream page; the duration from the
/// granule position of the first known stream's last page (or of the next known stream, when the first
/// has no page near the end), found by scanning the end of the file (`ogg-granule`): samples over the
/// rate for Vorbis and FLAC, samples minus the pre-skip over 48 kHz for Opus, frames over the frame rate
/// for Theora. For Vorbis, Opus and Theora streams whose granules do not start at zero (recordings of a
/// live stream), the start is subtracted. The kind is video when any stream is Theora, else audio.
public struct OggProbe: ContainerProbe {
    /// Creates the reader.
    public init() {}

    /// Whether `head` starts with a version-0 Ogg page header (`OggS`, then 0).
    public func recognizes(head: [UInt8]) -> Bool {
        head.hasASCII("OggS", at: 0) && head.u8(4) == 0
    }

    /// Reads the codecs and the duration.
    ///
    /// - Throws: ``ProbeFailure/truncated(_:)`` when the first pages are cut short or no page near the end
    ///   has a granule position;
    ///   ``ProbeFailure/malformed(_:)`` when the file does not start with a beginning-of-stream page or an
    ///   identification header lacks its rate.
    public func probe(_ reader: RandomAccessReader, head: [UInt8]) throws -> ContainerFindings {
        let start = try reader.read(at: 0, count: Self.startWindow)
        let streams = try Self.beginningOfStreamPages(start)
        let kind: MediaKind = streams.contains { $0.codec?.kind == .video } ? .video : .audio
        let known = streams.compactMap { stream in stream.codec.map { (serial: stream.serial, codec: $0) } }
        guard let preferred = known.first else {
            return ContainerFindings(
                container: .ogg, kind: .unknown,
                reason: "none of the \(streams.count) Ogg streams is Vorbis, Opus, Theora or FLAC")
        }
        let tail = try OggLastGranule.scan(preferred: preferred.serial, in: reader, start: start)
        guard let stream = known.first(where: { tail.granules[$0.serial] != nil }),
            let granule = tail.granules[stream.serial]
        else {
            if tail.granules.isEmpty {
                throw ProbeFailure.truncated(
                    "no whole Ogg page with a matching checksum and a positive granule position in the last "
                        + "\(tail.scannedBytes) bytes")
            }
            return ContainerFindings(
                container: .ogg, kind: kind,
                reason: "the pages in the last \(tail.scannedBytes) bytes belong to streams not begun at the "
                    + "start (a chained Ogg file)")
        }
        let startUnits = OggStreamStart.startUnits(codec: stream.codec, serial: stream.serial, in: start)
        let duration = stream.codec.seconds(from: startUnits, to: stream.codec.units(ofGranule: granule))
        return ContainerFindings(container: .ogg, kind: kind, duration: duration, durationSource: "ogg-granule")
    }

    /// The streams begun by the beginning-of-stream pages at the start of `bytes`, with their codecs
    /// (`nil` when unknown).
    private static func beginningOfStreamPages(_ bytes: [UInt8]) throws -> [(serial: UInt32, codec: OggCodec?)] {
        var streams: [(serial: UInt32, codec: OggCodec?)] = []
        var position = 0
        while streams.count < maximumStreams {
            guard let page = OggPage(bytes, at: position) else {
                if position == 0 {
                    throw ProbeFailure.truncated("the Ogg page header at byte 0 is cut short")
                }
                break
            }
            guard page.beginsStream else {
                if position == 0 {
                    throw ProbeFailure.malformed("the Ogg page at byte 0 does not begin a stream")
                }
                break
            }
            guard page.fits(in: bytes) else {
                throw ProbeFailure.truncated(
                    "the Ogg page at byte \(position) needs \(page.length) bytes; the file ends first")
            }
            var packet: [UInt8] = []
            if let piece = page.pieces(in: bytes).first {
                packet = Array(bytes[piece.start..<(piece.start + piece.length)])
            }
            streams.append((page.serial, try OggCodec(identification: packet, pageOffset: position)))
            position += page.length
        }
        return streams
    }

    /// How much of the start of the file is read: more than the largest Ogg page (65,307 bytes).
    private static let startWindow = 64 << 10
    /// The most beginning-of-stream pages read.
    private static let maximumStreams = 64
}
