/// Reads MPEG audio files (MP3, and MPEG layer I and II audio in the same framing).
///
/// Skips ID3v2 tags, finds the first frame (confirmed by the next two frames' headers) and takes the duration
/// from a Xing/Info header (`xing`), else a VBRI header (`vbri`), else estimates it from the audio bytes and
/// the first frame's bitrate (`bitrate-estimate`), as ffprobe does for constant-bitrate files.
///
/// The Xing duration is the declared frame count times the samples per frame, without subtracting the
/// encoder delay and padding of a LAME tag: ffprobe 5.1 reports it the same way.
public struct MP3Probe: ContainerProbe {
    /// Creates the reader.
    public init() {}

    /// Whether `head` starts with MPEG audio: after an ID3v2 tag and any zero padding, or after zero
    /// padding alone, four consecutive frame headers (or as many as `head` holds, at least two). After an
    /// ID3v2 tag a single frame at the end of `head`, or frames after other bytes, are also taken; a tag
    /// that runs past `head` is taken on trust.
    public func recognizes(head: [UInt8]) -> Bool {
        guard let tagLength = MP3Tags.id3v2Length(head, at: 0) else {
            guard let start = head.firstIndex(where: { $0 != 0 }) else { return false }
            return MP3FrameSync.audioStarts(head, at: start, minimum: 2)
        }
        guard tagLength + 4 <= head.count, MP3Tags.id3v2Length(head, at: tagLength) == nil else { return true }
        guard let start = head[tagLength...].firstIndex(where: { $0 != 0 }) else { return true }
        guard start + 4 <= head.count else { return true }
        if MP3FrameSync.audioStarts(head, at: start, minimum: 1) { return true }
        for position in start..<(head.count - 3) where head[position] == 0xFF {
            if MP3FrameSync.audioStarts(head, at: position, minimum: 2) { return true }
        }
        return false
    }

    /// Reads the duration.
    ///
    /// - Throws: ``ProbeFailure/truncated(_:)`` when an ID3v2 tag or the first frame runs past the end;
    ///   ``ProbeFailure/malformed(_:)`` when no MPEG audio frame follows the tags.
    public func probe(_ reader: RandomAccessReader, head: [UInt8]) throws -> ContainerFindings {
        let audioStart = try MP3Tags.endOfLeadingTags(reader)
        let audioEnd = reader.size - (try MP3Tags.id3v1Length(reader, audioStart: audioStart))
        let frame = try MP3FrameSync.firstFrame(reader, from: audioStart, audioEnd: audioEnd)
        let header = frame.header
        let secondsPerFrame = Double(header.samplesPerFrame) / Double(header.sampleRate)
        if let frames = MP3VBRHeaders.xingFrameCount(frame.bytes, header: header) {
            return ContainerFindings(
                container: .mp3, kind: .audio, duration: Double(frames) * secondsPerFrame, durationSource: "xing")
        }
        if let frames = MP3VBRHeaders.vbriFrameCount(frame.bytes) {
            return ContainerFindings(
                container: .mp3, kind: .audio, duration: Double(frames) * secondsPerFrame, durationSource: "vbri")
        }
        let audioBytes = max(0, audioEnd - frame.offset)
        return ContainerFindings(
            container: .mp3, kind: .audio, duration: Double(audioBytes) * 8 / Double(header.bitrate),
            durationSource: "bitrate-estimate")
    }
}
