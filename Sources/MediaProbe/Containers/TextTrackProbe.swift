/// Recognizes text tracks by their content, never by their name: WebVTT (`WEBVTT` followed by a blank or
/// the end of the line) and SRT (a cue number, then a `hh:mm:ss,mmm --> hh:mm:ss,mmm` line), both with an
/// optional UTF-8 byte-order mark.
///
/// The duration is the latest cue end found in the last 64 KiB (`last-cue`).
public struct TextTrackProbe: ContainerProbe {
    /// Creates the reader.
    public init() {}

    /// Whether `head` starts like a WebVTT or SRT file.
    public func recognizes(head: [UInt8]) -> Bool {
        Self.container(of: head) != nil
    }

    /// Names the format and reads the latest cue end from the end of the file.
    ///
    /// - Throws: ``ProbeFailure/malformed(_:)`` when `head` is neither WebVTT nor SRT.
    public func probe(_ reader: RandomAccessReader, head: [UInt8]) throws -> ContainerFindings {
        guard let container = Self.container(of: head) else {
            throw ProbeFailure.malformed("the first line is neither a WEBVTT header nor an SRT cue number")
        }
        let offset = max(0, reader.size - Int64(Self.tailWindow))
        let tail = try reader.read(at: offset, count: Int(reader.size - offset))
        var text = tail[...]
        if offset > 0, let lineEnd = text.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
            text = text[lineEnd...]
        }
        let ends = TextTrackCueTiming.lines(text).compactMap { TextTrackCueTiming.timing($0)?.end }
        guard let last = ends.max() else {
            return ContainerFindings(
                container: container, kind: .textTrack,
                reason: "no cue timing line in the last \(tail.count) bytes")
        }
        return ContainerFindings(container: container, kind: .textTrack, duration: last, durationSource: "last-cue")
    }

    private static func container(of head: [UInt8]) -> Container? {
        var text = head[...]
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        if text.starts(with: Array("WEBVTT".utf8)) {
            let next = text.dropFirst(6).first
            if next == nil || next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D { return .webVTT }
            return nil
        }
        let lines = TextTrackCueTiming.lines(text.prefix(Self.srtLookahead))
        var firstContentLine = 0
        while firstContentLine < lines.count, lines[firstContentLine].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            firstContentLine += 1
        }
        guard firstContentLine + 1 < lines.count, TextTrackCueTiming.isCueNumber(lines[firstContentLine]),
            TextTrackCueTiming.timing(lines[firstContentLine + 1]) != nil
        else { return nil }
        return .srt
    }

    /// How much of the end of the file is searched for cue timings.
    private static let tailWindow = 64 << 10
    /// How much of `head` is split into lines to recognize SRT.
    private static let srtLookahead = 1024
}
