/// Gathers the presentation time stamps of the elementary streams of a transport or program stream, from a
/// window at the start of the file and one at its end, and turns them into a duration the way ffprobe does.
///
/// For each stream: its start is the smallest of its first PTS values, its end the largest PTS seen near the
/// end of the file plus one frame. The duration is the latest end minus the earliest start. PTS values are
/// 33-bit counters that wrap; each is taken relative to the first PTS seen, modulo 2^33, so that a wrap
/// between the start and the end does not matter (files up to about 26 hours).
struct MPEGPESTimeline {
    /// What an elementary stream carries.
    enum Media: Equatable {
        case video
        case audio
    }

    /// What is known of one elementary stream.
    struct Track {
        var media: Media
        /// Offsets (ticks from the reference) of the stream's first PTS values.
        var early: [Int64] = []
        /// Frame duration in ticks read from a frame header, when found.
        var headerTicks: Int64?
        /// How many payloads were searched for a frame header.
        var headerAttempts = 0
        /// The largest offset seen near the end.
        var latest: Int64?
    }

    /// The modulus of PTS arithmetic.
    private static let wrap: UInt64 = 1 << 33
    /// A PTS up to this many ticks before the reference counts as earlier, not as 26 hours later.
    private static let earlierMargin: UInt64 = 600 * 90_000
    /// How many of a stream's first PTS values are kept.
    private static let earlyLimit = 64
    /// How many of a stream's first payloads are searched for a frame header.
    private static let headerAttemptLimit = 8

    private(set) var tracks: [Int: Track] = [:]
    private var reference: UInt64?

    /// Whether any video stream was registered.
    var hasVideo: Bool { tracks.values.contains { $0.media == .video } }

    /// Registers the stream `key` (a PID, or a program-stream id) as carrying `media`.
    mutating func addTrack(_ key: Int, media: Media) {
        if tracks[key] == nil { tracks[key] = Track(media: media) }
    }

    /// Notes a PTS from near the start of the file, with the start of the PES payload that follows it.
    mutating func noteEarly(_ key: Int, pts: UInt64, payload: ArraySlice<UInt8>) {
        guard var track = tracks[key] else { return }
        if reference == nil { reference = pts & (Self.wrap - 1) }
        if track.early.count < Self.earlyLimit, let offset = offset(of: pts) { track.early.append(offset) }
        if track.headerTicks == nil, track.headerAttempts < Self.headerAttemptLimit, !payload.isEmpty {
            track.headerAttempts += 1
            switch track.media {
            case .audio: track.headerTicks = MPEGPESFrameDuration.audioFrameTicks(in: payload)
            case .video: track.headerTicks = MPEGPESFrameDuration.videoFrameTicks(in: payload)
            }
        }
        tracks[key] = track
    }

    /// Notes a PTS from near the end of the file.
    mutating func noteLate(_ key: Int, pts: UInt64) {
        guard var track = tracks[key], let offset = offset(of: pts) else { return }
        if track.latest.map({ offset > $0 }) ?? true { track.latest = offset }
        tracks[key] = track
    }

    /// Whether any stream has a PTS near the start.
    var hasEarlyTimestamps: Bool { tracks.values.contains { !$0.early.isEmpty } }

    /// Whether any stream has a PTS near the end.
    var hasLateTimestamps: Bool { tracks.values.contains { $0.latest != nil } }

    /// The duration in seconds, or `nil` when no stream has time stamps at both ends.
    func duration() -> Double? {
        var start: Int64?
        var end: Int64?
        for track in tracks.values {
            guard let first = track.early.min(), let latest = track.latest else { continue }
            let last = latest + frameTicks(track)
            start = min(start ?? first, first)
            end = max(end ?? last, last)
        }
        guard let start, let end, end > start else { return nil }
        return Double(end - start) / Double(MPEGPESFrameDuration.clock)
    }

    /// One frame of `track`: from its frame header, else the smallest step between its first time stamps
    /// (for audio at most a fifth of a second, for video a second: a larger step is more likely several
    /// frames in one packet than one frame).
    private func frameTicks(_ track: Track) -> Int64 {
        if let ticks = track.headerTicks { return ticks }
        let sorted = Set(track.early).sorted()
        var smallest: Int64?
        for (earlier, later) in zip(sorted, sorted.dropFirst()) {
            let step = later - earlier
            if step > 0, smallest.map({ step < $0 }) ?? true { smallest = step }
        }
        let cap = track.media == .video ? MPEGPESFrameDuration.clock : MPEGPESFrameDuration.clock / 5
        guard let smallest, smallest <= cap else { return 0 }
        return smallest
    }

    /// `pts` as ticks after the reference (negative when a little before it), modulo 2^33.
    private func offset(of pts: UInt64) -> Int64? {
        guard let reference else { return nil }
        let delta = (pts &- reference) & (Self.wrap - 1)
        if delta > Self.wrap - Self.earlierMargin { return Int64(delta) - Int64(Self.wrap) }
        return Int64(delta)
    }
}
