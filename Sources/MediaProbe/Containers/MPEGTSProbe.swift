/// Reads MPEG transport streams (`.ts`, `.mts`, `.m2ts`): 188-byte packets, or 192-byte BDAV packets.
///
/// The duration is the span of presentation time stamps: the PAT and PMTs in the first MiB name the audio
/// and video PIDs; the first PTS of each comes from that MiB, the last from the file's last MiB, plus one
/// frame, as ffprobe computes it. Nothing between the two windows is read.
public struct MPEGTSProbe: ContainerProbe {
    /// Creates the reader.
    public init() {}

    /// Whether `head` starts with transport packets: at least 3 sync bytes (up to 8) 188 or 192 bytes apart.
    public func recognizes(head: [UInt8]) -> Bool {
        MPEGTSPacketLayout.detect(in: head, strict: true) != nil
    }

    /// Reads the kind from the PMT stream types and the duration from the PTS at both ends.
    public func probe(_ reader: RandomAccessReader, head: [UInt8]) throws -> ContainerFindings {
        let windows = try MPEGPESWindows(reader, what: "MPEG-TS")
        guard let (layout, sync) = MPEGTSPacketLayout.detect(in: windows.first, strict: true) else {
            throw ProbeFailure.malformed("MPEG-TS: no run of sync bytes 188 or 192 bytes apart at byte 0")
        }
        var scan = MPEGTSHeadScan()
        layout.forEachPacket(in: windows.first, from: sync) { position in
            scan.take(windows.first, sync: position)
            return true
        }
        var timeline = scan.timeline()
        let firstSpan = "the first \(windows.first.count) bytes"
        guard !timeline.tracks.isEmpty else {
            throw ProbeFailure.malformed("MPEG-TS: no audio or video stream in \(firstSpan) (\(scan.summary))")
        }
        guard timeline.hasEarlyTimestamps else {
            throw ProbeFailure.malformed("MPEG-TS: no PES packet with a PTS in \(firstSpan) (\(scan.summary))")
        }
        let kind: MediaKind = timeline.hasVideo ? .video : .audio
        let lastSpan = "bytes \(windows.lastOffset)–\(windows.lastOffset + Int64(windows.last.count))"
        guard let lastSync = layout.resync(windows.last, from: 0) else {
            throw ProbeFailure.malformed("MPEG-TS: no packet sync in \(lastSpan)")
        }
        layout.forEachPacket(in: windows.last, from: lastSync) { position in
            if let packet = MPEGTSPacket(windows.last, sync: position), let pts = packet.pesHeader(windows.last)?.pts {
                timeline.noteLate(packet.pid, pts: pts)
            }
            return true
        }
        guard let duration = timeline.duration() else {
            let problem =
                timeline.hasLateTimestamps
                ? "the PTS at the start are not earlier than those in \(lastSpan)"
                : "no audio or video PTS in \(lastSpan)"
            throw ProbeFailure.malformed("MPEG-TS: \(problem)")
        }
        return ContainerFindings(container: .mpegTS, kind: kind, duration: duration, durationSource: "pts")
    }
}
