/// What the `hdrl` list of an AVI file says: the main header, each stream header, and the OpenDML total.
struct AVIHeaders {
    /// One `strh` stream header.
    struct StreamHeader {
        /// `vids`, `auds`, `txts`, …
        var type: String
        var scale: UInt32
        var rate: UInt32
        /// The stream's length in units of scale/rate (frames, or samples/blocks for fixed-size audio).
        var length: UInt32
        /// The size of one sample for fixed-size (CBR) audio; 0 when every chunk is one frame.
        var sampleSize: UInt32
    }

    /// `avih` dwMicroSecPerFrame.
    var microSecondsPerFrame: UInt32 = 0
    /// `avih` dwTotalFrames (frames of the first RIFF only, in an OpenDML file).
    var totalFrames: UInt32 = 0
    /// `odml/dmlh` dwTotalFrames: all frames of the file, when present.
    var openDMLTotalFrames: UInt32?
    /// The stream headers, in order.
    var streams: [StreamHeader] = []

    /// Reads the chunks of the `hdrl` list held in `bytes[start..<end]`; `fileOffset` locates `bytes` in the
    /// file for reasons.
    init(_ bytes: [UInt8], from start: Int, to end: Int, fileOffset: Int64) throws {
        var sawMainHeader = false
        for chunk in try AVIChunk.children(of: bytes, from: start, to: end, fileOffset: fileOffset) {
            switch (chunk.id, chunk.listType) {
            case ("avih", _):
                guard chunk.dataEnd - chunk.dataStart >= 40, let period = bytes.u32le(chunk.dataStart),
                    let total = bytes.u32le(chunk.dataStart + 16)
                else {
                    throw ProbeFailure.malformed(
                        "AVI: main header 'avih' at byte \(Int64(chunk.dataStart) + fileOffset) is too short")
                }
                microSecondsPerFrame = period
                totalFrames = total
                sawMainHeader = true
            case ("LIST", "strl"?):
                let children = try AVIChunk.children(
                    of: bytes, from: chunk.dataStart, to: chunk.dataEnd, fileOffset: fileOffset)
                if let strh = children.first(where: { $0.id == "strh" }) {
                    streams.append(try Self.streamHeader(bytes, strh, fileOffset: fileOffset))
                }
            case ("LIST", "odml"?):
                let children = try AVIChunk.children(
                    of: bytes, from: chunk.dataStart, to: chunk.dataEnd, fileOffset: fileOffset)
                if let dmlh = children.first(where: { $0.id == "dmlh" }), dmlh.dataEnd - dmlh.dataStart >= 4 {
                    openDMLTotalFrames = bytes.u32le(dmlh.dataStart)
                }
            default:
                break
            }
        }
        guard sawMainHeader else {
            throw ProbeFailure.malformed("AVI: the 'hdrl' list at byte \(Int64(start) + fileOffset) has no 'avih'")
        }
    }

    private static func streamHeader(_ bytes: [UInt8], _ chunk: AVIChunk, fileOffset: Int64) throws -> StreamHeader {
        let at = chunk.dataStart
        guard chunk.dataEnd - at >= 36, let scale = bytes.u32le(at + 20), let rate = bytes.u32le(at + 24),
            let length = bytes.u32le(at + 32)
        else {
            throw ProbeFailure.malformed("AVI: stream header 'strh' at byte \(Int64(at) + fileOffset) is too short")
        }
        let sampleSize = chunk.dataEnd - at >= 48 ? bytes.u32le(at + 44) ?? 0 : 0
        return StreamHeader(
            type: AVIChunk.fourCC(bytes, at: at), scale: scale, rate: rate, length: length, sampleSize: sampleSize)
    }
}
