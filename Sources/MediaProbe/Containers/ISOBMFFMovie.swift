/// What the `moov` box says: the movie's timescale and duration, the fragment duration of `mvex/mehd`, and
/// for each track its id, handler, timescale and the fragment defaults of `mvex/trex`.
struct ISOBMFFMovie {
    /// One `trak`.
    struct Track {
        /// `tkhd` track_ID.
        var id: UInt32?
        /// `mdia/hdlr` handler_type, e.g. `vide`, `soun`.
        var handler: UInt32?
        /// `mdia/mdhd` timescale, in units per second.
        var timescale: UInt32?
        /// `mdia/mdhd` duration of the samples described in `moov`, in the track's timescale.
        var duration: UInt64?
    }

    /// `mvhd` timescale, in units per second.
    var timescale: UInt32?
    /// `mvhd` duration in ``timescale`` units; `nil` when absent or all ones (unknown).
    var duration: UInt64?
    /// `mvex/mehd` fragment_duration in ``timescale`` units; `nil` when absent, zero or all ones.
    var fragmentDuration: UInt64?
    /// Whether `mvex` is present: the file may continue in `moof` fragments.
    var isFragmented = false
    /// The tracks, in order.
    var tracks: [Track] = []
    /// `trex` default_sample_duration by track_ID.
    var defaultSampleDurations: [UInt32: UInt32] = [:]
}

extension ISOBMFFBoxReader {
    /// Reads the parts of `moov` that matter by seeking to them: `mvhd`, `mvex`, and each `trak`'s `tkhd`,
    /// `mdhd` and `hdlr`. Sample tables are never read.
    func readMovie(_ moov: ISOBMFFBox) throws -> ISOBMFFMovie {
        var movie = ISOBMFFMovie()
        try forEachChild(of: moov, depth: 1) { box in
            switch box.type {
            case ISOBMFFBox.mvhd:
                let header = ISOBMFFFullBoxFields.timescaleAndDuration(try body(of: box, upTo: 32))
                movie.timescale = header?.timescale
                movie.duration = header?.duration
            case ISOBMFFBox.mvex:
                movie.isFragmented = true
                try readMovieExtends(box, into: &movie)
            case ISOBMFFBox.trak:
                movie.tracks.append(try readTrack(box))
            default:
                break
            }
            return true
        }
        return movie
    }

    private func readMovieExtends(_ mvex: ISOBMFFBox, into movie: inout ISOBMFFMovie) throws {
        try forEachChild(of: mvex, depth: 2) { box in
            switch box.type {
            case ISOBMFFBox.mehd:
                let bytes = try body(of: box, upTo: 12)
                let value = ISOBMFFFullBoxFields.versionedValue(bytes, at: 4)
                let unknown: UInt64 = bytes.u8(0) == 1 ? .max : UInt64(UInt32.max)
                movie.fragmentDuration = value == 0 || value == unknown ? nil : value
            case ISOBMFFBox.trex:
                let bytes = try body(of: box, upTo: 16)
                if let track = bytes.u32be(4), let duration = bytes.u32be(12) {
                    movie.defaultSampleDurations[track] = duration
                }
            default:
                break
            }
            return true
        }
    }

    private func readTrack(_ trak: ISOBMFFBox) throws -> ISOBMFFMovie.Track {
        var track = ISOBMFFMovie.Track()
        try forEachChild(of: trak, depth: 2) { box in
            switch box.type {
            case ISOBMFFBox.tkhd:
                let bytes = try body(of: box, upTo: 24)
                track.id = bytes.u8(0) == 1 ? bytes.u32be(20) : bytes.u32be(12)
            case ISOBMFFBox.mdia:
                try forEachChild(of: box, depth: 3) { child in
                    if child.type == ISOBMFFBox.mdhd {
                        let header = ISOBMFFFullBoxFields.timescaleAndDuration(try body(of: child, upTo: 32))
                        track.timescale = header?.timescale
                        track.duration = header?.duration
                    } else if child.type == ISOBMFFBox.hdlr {
                        track.handler = try body(of: child, upTo: 12).u32be(8)
                    }
                    return true
                }
            default:
                break
            }
            return true
        }
        return track
    }
}

/// Fields of the version-dependent "full boxes" (`mvhd`, `mdhd`, `mehd`, `tfdt`), read from their content.
enum ISOBMFFFullBoxFields {
    /// The timescale and duration of `mvhd` or `mdhd` content: after version/flags, creation and
    /// modification times (32-bit in version 0, 64-bit in version 1), a 32-bit timescale, then a duration of
    /// the same width as the times. A duration of all ones (unknown) is `nil`.
    static func timescaleAndDuration(_ bytes: [UInt8]) -> (timescale: UInt32, duration: UInt64?)? {
        guard let version = bytes.u8(0) else { return nil }
        let wide = version == 1
        let timescaleOffset = wide ? 20 : 12
        guard let timescale = bytes.u32be(timescaleOffset) else { return nil }
        let duration = bytes.bigEndian(timescaleOffset + 4, width: wide ? 8 : 4)
        let unknown: UInt64 = wide ? .max : UInt64(UInt32.max)
        return (timescale, duration == unknown ? nil : duration)
    }

    /// A value at `offset` that is 32-bit in version 0 and 64-bit in version 1 (`mehd` fragment_duration,
    /// `tfdt` baseMediaDecodeTime). Zero or all ones (unknown) in `mehd` are the caller's to judge.
    static func versionedValue(_ bytes: [UInt8], at offset: Int) -> UInt64? {
        guard let version = bytes.u8(0) else { return nil }
        return bytes.bigEndian(offset, width: version == 1 ? 8 : 4)
    }
}
