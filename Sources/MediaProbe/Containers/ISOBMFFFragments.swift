/// What one `moof/traf` says about its track: the track, the `tfdt` decode time of its first sample, and
/// the summed durations of its `trun` samples, in the track's timescale.
struct ISOBMFFTrackFragment {
    var trackID: UInt32
    var baseMediaDecodeTime: UInt64?
    var duration: UInt64
}

extension ISOBMFFBoxReader {
    /// How many `moof` boxes, from the last, are searched for the last fragment of every track.
    static let lastFragmentsSearched = 64
    /// The largest `trun` content read to add up per-sample durations.
    static let maxTrackRunSize = 4 << 20

    /// The duration of a fragmented file in seconds, from its `moof` boxes.
    ///
    /// For each track, the last fragment's `tfdt` decode time plus its sample durations is where the track
    /// ends. When a track's last fragment has no `tfdt`, every fragment is read instead and the track's
    /// durations are added up, starting from the samples `moov` itself describes (`mdhd`). The longest track
    /// gives the duration.
    func fragmentedDuration(moofs: [ISOBMFFBox], movie: ISOBMFFMovie) throws -> Double? {
        var timescales: [UInt32: UInt32] = [:]
        var moovDurations: [UInt32: UInt64] = [:]
        for track in movie.tracks {
            guard let id = track.id, let timescale = track.timescale, timescale > 0 else { continue }
            timescales[id] = timescale
            moovDurations[id] = track.duration ?? 0
        }
        var ends: [UInt32: UInt64] = [:]
        var seen: Set<UInt32> = []
        var needsSum = false
        for moof in moofs.reversed().prefix(Self.lastFragmentsSearched) {
            for fragment in try readFragment(moof, movie: movie) where !seen.contains(fragment.trackID) {
                seen.insert(fragment.trackID)
                guard let base = fragment.baseMediaDecodeTime else {
                    needsSum = true
                    continue
                }
                ends[fragment.trackID] = try Self.add(
                    base, fragment.duration, what: "tfdt of track \(fragment.trackID)")
            }
            if seen.isSuperset(of: timescales.keys) { break }
        }
        if needsSum || ends.isEmpty {
            ends = moovDurations
            for moof in moofs {
                for fragment in try readFragment(moof, movie: movie) {
                    let total = ends[fragment.trackID] ?? 0
                    ends[fragment.trackID] = try Self.add(total, fragment.duration, what: "track \(fragment.trackID)")
                }
            }
        }
        var longest: Double?
        for (track, end) in ends {
            guard let timescale = timescales[track] else { continue }
            let seconds = Double(end) / Double(timescale)
            longest = max(longest ?? 0, seconds)
        }
        return longest
    }

    /// The track fragments of one `moof`.
    func readFragment(_ moof: ISOBMFFBox, movie: ISOBMFFMovie) throws -> [ISOBMFFTrackFragment] {
        var fragments: [ISOBMFFTrackFragment] = []
        try forEachChild(of: moof, depth: 1) { box in
            if box.type == ISOBMFFBox.traf, let fragment = try readTrackFragment(box, movie: movie) {
                fragments.append(fragment)
            }
            return true
        }
        return fragments
    }

    private func readTrackFragment(_ traf: ISOBMFFBox, movie: ISOBMFFMovie) throws -> ISOBMFFTrackFragment? {
        var trackID: UInt32?
        var defaultDuration: UInt32 = 0
        var base: UInt64?
        var duration: UInt64 = 0
        try forEachChild(of: traf, depth: 2) { box in
            switch box.type {
            case ISOBMFFBox.tfhd:
                let bytes = try body(of: box, upTo: 24)
                guard let flags = bytes.u32be(0), let id = bytes.u32be(4) else {
                    throw ProbeFailure.malformed("'tfhd' at byte \(box.offset) is too short")
                }
                trackID = id
                defaultDuration = movie.defaultSampleDurations[id] ?? 0
                if flags & 0x08 != 0 {
                    let at = 8 + (flags & 0x01 != 0 ? 8 : 0) + (flags & 0x02 != 0 ? 4 : 0)
                    defaultDuration = bytes.u32be(at) ?? defaultDuration
                }
            case ISOBMFFBox.tfdt:
                base = ISOBMFFFullBoxFields.versionedValue(try body(of: box, upTo: 12), at: 4)
            case ISOBMFFBox.trun:
                let run = try trackRunDuration(box, defaultDuration: defaultDuration)
                duration = try Self.add(duration, run, what: "'trun' at byte \(box.offset)")
            default:
                break
            }
            return true
        }
        guard let trackID else { return nil }
        return ISOBMFFTrackFragment(trackID: trackID, baseMediaDecodeTime: base, duration: duration)
    }

    /// The summed sample durations of one `trun`: its own per-sample durations when flag 0x100 says they
    /// are there, else sample_count × the default duration (`tfhd`, else `trex`).
    private func trackRunDuration(_ trun: ISOBMFFBox, defaultDuration: UInt32) throws -> UInt64 {
        let head = try body(of: trun, upTo: 8)
        guard let flags = head.u32be(0), let count = head.u32be(4) else {
            throw ProbeFailure.malformed("'trun' at byte \(trun.offset) is too short")
        }
        guard flags & 0x100 != 0 else { return UInt64(count) * UInt64(defaultDuration) }
        let fieldsStart = 8 + (flags & 0x01 != 0 ? 4 : 0) + (flags & 0x04 != 0 ? 4 : 0)
        let perSample = [0x100, 0x200, 0x400, 0x800].filter { flags & UInt32($0) != 0 }.count * 4
        let needed = Int64(fieldsStart) + Int64(count) * Int64(perSample)
        guard needed <= trun.bodySize else {
            throw ProbeFailure.malformed(
                "'trun' at byte \(trun.offset) lists \(count) samples, more than its \(trun.bodySize) bytes hold")
        }
        let bytes = try wholeBody(of: trun, limit: Self.maxTrackRunSize)
        var total: UInt64 = 0
        var at = fieldsStart
        for _ in 0..<count {
            guard let sample = bytes.u32be(at) else { break }
            total += UInt64(sample)
            at += perSample
        }
        return total
    }

    /// `a + b`, refused when it overflows.
    static func add(_ a: UInt64, _ b: UInt64, what: String) throws -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw ProbeFailure.malformed("durations of \(what) overflow 64 bits") }
        return sum
    }
}
