/// Reads WAVE files: RIFF `WAVE`, and RF64/BW64 with a `ds64` chunk for sizes past 4 GiB.
///
/// The duration is the `data` chunk's size (clamped to what the file holds) divided by the `fmt ` chunk's
/// byte rate (`wav-data`). For compressed formats with a `fact` sample count, the duration is that count
/// over the sample rate (`wav-fact`), as ffprobe does.
public struct WAVProbe: ContainerProbe {
    /// Creates the reader.
    public init() {}

    /// Whether `head` starts with `RIFF`, `RF64` or `BW64` and has the form type `WAVE`.
    public func recognizes(head: [UInt8]) -> Bool {
        (head.hasASCII("RIFF", at: 0) || head.hasASCII("RF64", at: 0) || head.hasASCII("BW64", at: 0))
            && head.hasASCII("WAVE", at: 8)
    }

    /// Reads the duration.
    ///
    /// - Throws: ``ProbeFailure/truncated(_:)`` when the file ends before the `fmt ` or `data` chunk, or
    ///   within the `fmt ` chunk; ``ProbeFailure/malformed(_:)`` when they are not among the first chunks or
    ///   the byte rate is zero.
    public func probe(_ reader: RandomAccessReader, head: [UInt8]) throws -> ContainerFindings {
        let isRF64 = !head.hasASCII("RIFF", at: 0)
        let chunks = try WAVChunks(reader, isRF64: isRF64)
        guard let format = chunks.format else { throw Self.missing("fmt", chunks) }
        guard let dataOffset = chunks.dataOffset else { throw Self.missing("data", chunks) }
        if !format.isUncompressed, let samples = chunks.sampleCount, format.sampleRate > 0 {
            return ContainerFindings(
                container: .wav, kind: .audio, duration: Double(samples) / Double(format.sampleRate),
                durationSource: "wav-fact")
        }
        var byteRate = UInt64(format.byteRate)
        if byteRate == 0 {
            byteRate = UInt64(format.sampleRate) * UInt64(format.channels) * UInt64(format.bitsPerSample) / 8
        }
        guard byteRate > 0 else {
            throw ProbeFailure.malformed("fmt chunk at byte \(format.offset) gives a byte rate of 0")
        }
        let available = UInt64(max(0, reader.size - dataOffset))
        let dataSize = min(chunks.dataSize ?? available, available)
        return ContainerFindings(
            container: .wav, kind: .audio, duration: Double(dataSize) / Double(byteRate),
            durationSource: "wav-data")
    }

    private static func missing(_ chunk: String, _ chunks: WAVChunks) -> ProbeFailure {
        if chunks.reachedFileEnd {
            return .truncated("the file ends at byte \(chunks.walkEnd) with no \(chunk) chunk after byte 12")
        }
        return .malformed(
            "no \(chunk) chunk in the first \(WAVChunks.maximumChunks) chunks (up to byte \(chunks.walkEnd))")
    }
}
