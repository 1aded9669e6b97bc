/// Reads MPEG program streams (`.mpg`, `.mpeg`, `.vob`): MPEG-1 system streams and MPEG-2 program streams.
///
/// The duration is the span of presentation time stamps of the audio, video and private-stream-1 audio PES
/// packets: the first PTS of each stream from the first MiB, the last from the file's last MiB, plus one
/// frame, as ffprobe computes it. Nothing between the two windows is read.
public struct MPEGPSProbe: ContainerProbe {
    /// Creates the reader.
    public init() {}

    /// Whether `head` starts with a pack header (`00 00 01 BA`, MPEG-1 or MPEG-2, marker bits right) that is
    /// followed by another start code.
    public func recognizes(head: [UInt8]) -> Bool {
        guard let length = MPEGPSScanner.packHeaderLength(head, at: 0) else { return false }
        return MPEGPSScanner.nextStartCode(in: head, from: length) == length && head[length + 3] >= 0xB9
    }

    /// Reads the kind from the PES stream ids and the duration from the PTS at both ends.
    public func probe(_ reader: RandomAccessReader, head: [UInt8]) throws -> ContainerFindings {
        let windows = try MPEGPESWindows(reader, what: "MPEG-PS")
        guard MPEGPSScanner.packHeaderLength(windows.first, at: 0) != nil else {
            throw ProbeFailure.malformed("MPEG-PS: no valid pack header at byte 0")
        }
        var timeline = MPEGPESTimeline()
        MPEGPSScanner.forEachPES(in: windows.first, from: 0, syncToPack: false) { header, end in
            guard let stream = MPEGPSStream(header, in: windows.first, end: end) else { return }
            timeline.addTrack(stream.key, media: stream.media)
            if let pts = header.pts {
                let payload = windows.first[min(stream.payloadStart, end)..<end]
                timeline.noteEarly(stream.key, pts: pts, payload: payload)
            }
        }
        let firstSpan = "the first \(windows.first.count) bytes"
        guard !timeline.tracks.isEmpty else {
            throw ProbeFailure.malformed("MPEG-PS: no audio or video PES packet in \(firstSpan)")
        }
        guard timeline.hasEarlyTimestamps else {
            throw ProbeFailure.malformed("MPEG-PS: no audio or video PES packet with a PTS in \(firstSpan)")
        }
        let kind: MediaKind = timeline.hasVideo ? .video : .audio
        MPEGPSScanner.forEachPES(in: windows.last, from: 0, syncToPack: windows.lastOffset > 0) { header, end in
            guard let pts = header.pts, let stream = MPEGPSStream(header, in: windows.last, end: end) else { return }
            timeline.noteLate(stream.key, pts: pts)
        }
        guard let duration = timeline.duration() else {
            let lastSpan = "bytes \(windows.lastOffset)–\(windows.lastOffset + Int64(windows.last.count))"
            let problem =
                timeline.hasLateTimestamps
                ? "the PTS at the start are not earlier than those in \(lastSpan)"
                : "no audio or video PTS in \(lastSpan)"
            throw ProbeFailure.malformed("MPEG-PS: \(problem)")
        }
        return ContainerFindings(container: .mpegPS, kind: kind, duration: duration, durationSource: "pts")
    }
}
