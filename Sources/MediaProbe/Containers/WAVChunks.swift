/// The chunks of a RIFF/RF64 `WAVE` file that give its duration, found by walking the chunk headers.
struct WAVChunks {
    /// The `fmt ` chunk's fields.
    struct Format {
        /// Where the chunk starts.
        let offset: Int64
        /// `wFormatTag`, or the first two bytes of the sub-format GUID for `WAVE_FORMAT_EXTENSIBLE`.
        let formatTag: UInt16
        let channels: UInt16
        let sampleRate: UInt32
        let byteRate: UInt32
        let blockAlign: UInt16
        let bitsPerSample: UInt16

        /// Whether the samples are stored one after another at a fixed size (PCM, float, A-law, µ-law), so
        /// that the data size gives the duration exactly.
        var isUncompressed: Bool { [1, 3, 6, 7].contains(formatTag) }
    }

    /// The `fmt ` chunk, when found.
    var format: Format?
    /// Where the `data` chunk's payload starts, when found.
    var dataOffset: Int64?
    /// The `data` chunk's declared size (from `ds64` in RF64 files), `nil` when it runs to the end.
    var dataSize: UInt64?
    /// The sample count per channel from `fact` (or `ds64`), when given.
    var sampleCount: UInt64?
    /// Where the walk stopped: the end of the file, or the chunk where ``maximumChunks`` ran out.
    var walkEnd: Int64 = 12
    /// Whether the walk stopped at the end of the file rather than at the chunk limit.
    var reachedFileEnd = false

    /// Walks the chunks of `reader` after the 12-byte RIFF header, stopping once `fmt ` and `data` are both
    /// known, at the end of the file, or after ``maximumChunks`` chunks.
    ///
    /// - Throws: ``ProbeFailure/truncated(_:)`` when the `fmt ` or `ds64` chunk is cut short.
    init(_ reader: RandomAccessReader, isRF64: Bool) throws {
        var offset: Int64 = 12
        var ds64DataSize: UInt64?
        for _ in 0..<WAVChunks.maximumChunks {
            walkEnd = offset
            let header = try reader.read(at: offset, count: 8)
            guard header.count == 8, let size32 = header.u32le(4) else {
                reachedFileEnd = true
                break
            }
            let size = UInt64(size32)
            let payload = offset + 8
            if header.hasASCII("ds64", at: 0) {
                let fields = try reader.readExactly(at: payload, count: 24, what: "ds64 chunk")
                ds64DataSize = fields.u64le(8)
                if let count = fields.u64le(16), count > 0 { sampleCount = count }
            } else if header.hasASCII("fmt ", at: 0) {
                format = try WAVChunks.readFormat(reader, chunkOffset: offset, size: size)
            } else if header.hasASCII("fact", at: 0), sampleCount == nil {
                let fields = try reader.read(at: payload, count: 4)
                if let count = fields.u32le(0), count > 0, count != 0xFFFF_FFFF { sampleCount = UInt64(count) }
            } else if header.hasASCII("data", at: 0), dataOffset == nil {
                dataOffset = payload
                if isRF64 && size32 == 0xFFFF_FFFF {
                    dataSize = ds64DataSize
                } else if size32 != 0xFFFF_FFFF && !(size32 == 0 && payload < reader.size) {
                    dataSize = size
                }
            }
            if format != nil && dataOffset != nil { break }
            let chunkSize = header.hasASCII("data", at: 0) ? (dataSize ?? UInt64(reader.size)) : size
            let next = payload + Int64(min(chunkSize, UInt64(reader.size))) + Int64(chunkSize & 1)
            guard next < reader.size else {
                walkEnd = reader.size
                reachedFileEnd = true
                break
            }
            offset = next
        }
    }

    private static func readFormat(_ reader: RandomAccessReader, chunkOffset: Int64, size: UInt64) throws -> Format {
        guard size >= 16 else {
            throw ProbeFailure.malformed("fmt chunk at byte \(chunkOffset) is \(size) bytes; it needs at least 16")
        }
        let fields = try reader.readExactly(
            at: chunkOffset + 8, count: Int(min(size, 40)), what: "fmt chunk")
        var tag = fields.u16le(0) ?? 0
        if tag == 0xFFFE, let subFormat = fields.u16le(24) { tag = subFormat }
        return Format(
            offset: chunkOffset, formatTag: tag, channels: fields.u16le(2) ?? 0, sampleRate: fields.u32le(4) ?? 0,
            byteRate: fields.u32le(8) ?? 0, blockAlign: fields.u16le(12) ?? 0, bitsPerSample: fields.u16le(14) ?? 0)
    }

    /// The most chunks walked before giving up on finding `fmt ` and `data`.
    static let maximumChunks = 1024
}
