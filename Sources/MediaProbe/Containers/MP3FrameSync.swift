/// Finds the first MPEG audio frame, confirmed by the headers of the two frames that follow it, so that a
/// stray `FF Ex` byte pair in a tag or in junk is not taken for audio.
enum MP3FrameSync {
    /// A frame found in the file.
    struct Frame {
        /// Where the frame starts in the file.
        let offset: Int64
        /// Its header.
        let header: MP3FrameHeader
        /// The frame's bytes from its header on (the whole frame, or as much as the file holds).
        let bytes: [UInt8]
    }

    /// The consecutive frames starting at `position` of `bytes`, each continuing the first: how many
    /// headers were found (at most `limit`), and where the header after the last one would be.
    static func chain(_ bytes: [UInt8], at position: Int, limit: Int) -> (count: Int, nextOffset: Int) {
        guard let first = MP3FrameHeader(bytes, at: position) else { return (0, position) }
        var count = 1
        var offset = position + first.frameLength
        while count < limit, let next = MP3FrameHeader(bytes, at: offset), first.continues(with: next) {
            count += 1
            offset += next.frameLength
        }
        return (count, offset)
    }

    /// Whether MPEG audio starts at `position` of `bytes`: four consecutive frame headers, or at least
    /// `minimum` of them followed by the end of `bytes`.
    static func audioStarts(_ bytes: [UInt8], at position: Int, minimum: Int) -> Bool {
        let (count, nextOffset) = chain(bytes, at: position, limit: 4)
        return count >= 4 || (count >= minimum && nextOffset + 4 > bytes.count)
    }

    /// The first confirmed frame at or after `start`, looking at most ``scanLimit`` bytes further.
    ///
    /// A frame is confirmed when the next two frames' headers follow at their computed lengths (or the
    /// audio ends, at `audioEnd`, before an ID3v1 tag, where they would be).
    ///
    /// - Throws: ``ProbeFailure/truncated(_:)`` when the only frame found runs past the end of the audio;
    ///   ``ProbeFailure/malformed(_:)`` when no frame is found.
    static func firstFrame(_ reader: RandomAccessReader, from start: Int64, audioEnd: Int64) throws -> Frame {
        var windowStart = start
        var cutShort: (offset: Int64, length: Int)?
        let stop = min(audioEnd, start + Int64(scanLimit))
        scan: while windowStart < stop {
            let wanted = Int(min(Int64(windowSize), audioEnd - windowStart))
            let window = try reader.read(at: windowStart, count: wanted)
            guard window.count >= 4 else { break }
            let isLast = windowStart + Int64(window.count) >= audioEnd
            let scanEnd = isLast ? window.count - 3 : window.count - lookahead
            guard scanEnd > 0 else { break }
            for position in 0..<scanEnd where window[position] == 0xFF {
                guard let header = MP3FrameHeader(window, at: position) else { continue }
                let nextPosition = position + header.frameLength
                let next = MP3FrameHeader(window, at: nextPosition)
                let endsAudio = isLast && windowStart + Int64(nextPosition) == audioEnd
                let confirmed = next.map { confirms($0, after: nextPosition, of: header, in: window, isLast: isLast) }
                guard confirmed ?? endsAudio else {
                    if next == nil, isLast, nextPosition + 4 > window.count, cutShort == nil {
                        cutShort = (windowStart + Int64(position), header.frameLength)
                    }
                    continue
                }
                let end = min(nextPosition, window.count)
                return Frame(
                    offset: windowStart + Int64(position), header: header, bytes: Array(window[position..<end]))
            }
            if isLast { break scan }
            windowStart += Int64(scanEnd)
        }
        if let cutShort {
            throw ProbeFailure.truncated(
                "the MPEG audio frame at byte \(cutShort.offset) needs \(cutShort.length) bytes and a next frame; "
                    + "the audio ends at byte \(audioEnd)")
        }
        throw ProbeFailure.malformed(
            "no MPEG audio frame followed by two more within \(scanLimit) bytes of byte \(start)")
    }

    /// Whether `next`, the header at `position` after the frame with header `first`, continues it, and the
    /// header after `next` does too (or lies past the end of the audio).
    private static func confirms(
        _ next: MP3FrameHeader, after position: Int, of first: MP3FrameHeader, in window: [UInt8], isLast: Bool
    ) -> Bool {
        guard first.continues(with: next) else { return false }
        let thirdPosition = position + next.frameLength
        if let third = MP3FrameHeader(window, at: thirdPosition) { return first.continues(with: third) }
        return isLast && thirdPosition + 4 > window.count
    }

    /// How far past the end of the ID3v2 tags the first frame is looked for.
    static let scanLimit = 256 << 10
    /// The size of one read while scanning.
    private static let windowSize = 64 << 10
    /// More than two of the longest possible frames (2,881 bytes each) plus a header, so that a candidate's
    /// two successors always lie in the same window.
    private static let lookahead = 5_800
}
