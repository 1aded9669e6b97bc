/// Reads AVI files (RIFF `AVI `, including OpenDML files extended by `AVIX` chunks).
///
/// Only the `hdrl` list at the start is read. The duration is that of the longest stream, each from its
/// stream header (`strh` dwLength × dwScale / dwRate), as ffprobe reports it. The OpenDML `dmlh` total
/// stands in for a video length only when that length equals the `avih` count, which covers only the first
/// RIFF chunk (ffmpeg writes in `dmlh` the chunks of all streams, so it is not trusted otherwise).
/// Fixed-size (PCM-like) audio counts
/// only when no other stream has a length, and the main header (`avih` dwMicroSecPerFrame × dwTotalFrames)
/// only when no stream has one.
public struct AVIProbe: ContainerProbe {
    /// Creates the reader.
    public init() {}

    /// The most bytes the `hdrl` list may have.
    static let headerListLimit = 2 << 20
    /// The most top-level chunks looked at before the `hdrl` list.
    static let topLevelLimit = 16

    /// Whether `head` starts with `RIFF`, a size, and the form type `AVI `.
    public func recognizes(head: [UInt8]) -> Bool {
        head.hasASCII("RIFF", at: 0) && head.hasASCII("AVI ", at: 8)
    }

    /// Reads the kind from the stream types and the duration from the stream headers.
    public func probe(_ reader: RandomAccessReader, head: [UInt8]) throws -> ContainerFindings {
        let riff = try reader.readExactly(at: 0, count: 12, what: "AVI RIFF header")
        guard let riffSize = riff.u32le(4) else { throw ProbeFailure.truncated("AVI RIFF header at byte 0") }
        let streamed = riffSize == 0 || riffSize == UInt32.max
        if !streamed, 8 + Int64(riffSize) > reader.size + 1 {
            throw ProbeFailure.truncated(
                "AVI: the RIFF chunk at byte 0 declares \(8 + Int64(riffSize)) bytes; the file has \(reader.size)")
        }
        let headers = try readHeaderList(reader)
        guard !headers.streams.isEmpty else {
            throw ProbeFailure.malformed("AVI: the 'hdrl' list has no stream header ('strh')")
        }
        let types = Set(headers.streams.map(\.type))
        let kind: MediaKind = types.contains("vids") ? .video : .audio
        if streamed {
            return ContainerFindings(
                container: .avi, kind: kind,
                reason: "AVI written as a stream (RIFF size unset): its headers hold no length")
        }
        guard let (duration, source) = Self.duration(headers) else {
            return ContainerFindings(container: .avi, kind: kind, reason: "AVI headers give every stream length 0")
        }
        return ContainerFindings(container: .avi, kind: kind, duration: duration, durationSource: source)
    }

    /// Finds the `LIST hdrl` among the first top-level chunks and reads it.
    private func readHeaderList(_ reader: RandomAccessReader) throws -> AVIHeaders {
        var cursor: Int64 = 12
        for _ in 0..<Self.topLevelLimit {
            guard cursor + 12 <= reader.size else { break }
            let header = try reader.readExactly(at: cursor, count: 12, what: "AVI chunk header")
            let id = AVIChunk.fourCC(header, at: 0)
            guard let size = header.u32le(4) else { break }
            if id == "LIST", header.hasASCII("hdrl", at: 8) {
                guard size >= 4, Int(size) - 4 <= Self.headerListLimit else {
                    throw ProbeFailure.malformed("AVI: the 'hdrl' list at byte \(cursor) declares \(size) bytes")
                }
                let bytes = try reader.readExactly(at: cursor + 12, count: Int(size) - 4, what: "AVI 'hdrl' list")
                return try AVIHeaders(bytes, from: 0, to: bytes.count, fileOffset: cursor + 12)
            }
            if id == "LIST", header.hasASCII("movi", at: 8) { break }
            cursor += 8 + Int64(size) + Int64(size & 1)
        }
        throw ProbeFailure.malformed("AVI: no 'hdrl' list before the data, at byte \(cursor)")
    }

    /// The duration and its source, or `nil` when every length is 0.
    static func duration(_ headers: AVIHeaders) -> (Double, String)? {
        var framed: Double?
        var fixedSize: Double?
        let firstVideo = headers.streams.firstIndex { $0.type == "vids" }
        for (index, stream) in headers.streams.enumerated() {
            var scale = stream.scale
            var rate = stream.rate
            if scale == 0 || rate == 0 {
                (scale, rate) = headers.microSecondsPerFrame > 0 ? (headers.microSecondsPerFrame, 1_000_000) : (1, 25)
            }
            var length = stream.length
            if index == firstVideo, length == headers.totalFrames, let total = headers.openDMLTotalFrames,
                total > length
            {
                length = total  // the stream header counted only the first RIFF chunk, as `avih` does
            }
            guard length > 0 else { continue }
            let seconds = Double(length) * Double(scale) / Double(rate)
            if stream.type == "vids" || stream.sampleSize == 0 {
                framed = max(framed ?? seconds, seconds)
            } else {
                fixedSize = max(fixedSize ?? seconds, seconds)
            }
        }
        if let seconds = framed ?? fixedSize { return (seconds, "strh") }
        let frames = headers.totalFrames > 0 ? headers.totalFrames : headers.openDMLTotalFrames ?? 0
        guard frames > 0, headers.microSecondsPerFrame > 0 else { return nil }
        return (Double(frames) * Double(headers.microSecondsPerFrame) / 1_000_000, "avih")
    }
}
