/// Reads the first window of a transport stream: its program tables, and the first PES headers of every
/// PID (kept until the tables say which PIDs are audio and video).
struct MPEGTSHeadScan {
    /// A PES header seen on a PID: its stream id, PTS and the payload bytes in the same packet.
    private struct Sighting {
        var streamID: UInt8
        var pts: UInt64
        var payload: ArraySlice<UInt8>
    }

    private static let sightingsPerPID = 64
    private static let pidLimit = 64

    private(set) var tables = MPEGTSTables()
    private var sightings: [Int: [Sighting]] = [:]
    private var order: [Int] = []

    /// Takes the packet whose sync byte is at `sync`.
    mutating func take(_ bytes: [UInt8], sync: Int) {
        guard let packet = MPEGTSPacket(bytes, sync: sync) else { return }
        if tables.wants(packet.pid) {
            tables.take(
                pid: packet.pid, unitStart: packet.unitStart, bytes: bytes, start: packet.payloadStart,
                end: packet.payloadEnd)
            return
        }
        guard let header = packet.pesHeader(bytes), let pts = header.pts else { return }
        if sightings[packet.pid] == nil {
            guard order.count < Self.pidLimit else { return }
            order.append(packet.pid)
        }
        guard sightings[packet.pid, default: []].count < Self.sightingsPerPID else { return }
        let payloadStart = min(header.payloadOffset, packet.payloadEnd)
        sightings[packet.pid, default: []].append(
            Sighting(streamID: header.streamID, pts: pts, payload: bytes[payloadStart..<packet.payloadEnd]))
    }

    /// A timeline with the audio and video streams the PMTs name, fed with the time stamps seen.
    ///
    /// A stream whose type does not tell (private data without a telling descriptor), and every stream when
    /// no PMT was found, is judged by its PES packets: by the stream id, or for private stream 1 by an audio
    /// frame header at the start of the payload.
    func timeline() -> MPEGPESTimeline {
        var timeline = MPEGPESTimeline()
        if tables.streams.isEmpty {
            for pid in order {
                if let media = media(ofPID: pid) { timeline.addTrack(pid, media: media) }
            }
        } else {
            for stream in tables.streams {
                if let media = stream.media ?? (stream.streamType == 0x06 ? media(ofPID: stream.pid) : nil) {
                    timeline.addTrack(stream.pid, media: media)
                }
            }
        }
        for pid in order {
            for sighting in sightings[pid] ?? [] {
                timeline.noteEarly(pid, pts: sighting.pts, payload: sighting.payload)
            }
        }
        return timeline
    }

    /// What the PES packets seen on `pid` carry, judged by their stream id and payload.
    private func media(ofPID pid: Int) -> MPEGPESTimeline.Media? {
        guard let first = sightings[pid]?.first else { return nil }
        switch first.streamID {
        case 0xE0...0xEF: return .video
        case 0xC0...0xDF: return .audio
        case 0xBD, 0xFD: return MPEGPESFrameDuration.audioFrameTicks(in: first.payload) != nil ? .audio : nil
        default: return nil
        }
    }

    /// A short account of what was found, for error reasons.
    var summary: String {
        let pat = tables.pmtPIDs == nil ? "no PAT" : "a PAT"
        return "\(pat), \(tables.streams.count) PMT streams, PES with PTS on \(order.count) PIDs"
    }
}
