/// Reads ISO base media files (ISO/IEC 14496-12): MP4, MOV, M4V, M4A, 3GP, fragmented MP4.
///
/// Walks the top-level boxes by seeking from header to header, so `mdat` is never read and `moov` may come
/// before or after it. The duration is `moov/mvhd` duration ÷ timescale (`"mvhd"`); a fragmented file
/// (`moov/mvex` with `moof` boxes) takes `mvex/mehd` (`"mehd"`) or else the end of its last fragments
/// (`"fragments"`). The kind comes from the tracks' `hdlr` handler types.
public struct ISOBMFFProbe: ContainerProbe {
    /// The largest `moov` box accepted.
    static let maxMovieSize: Int64 = 64 << 20

    /// Box types a file of this family may start with: `ftyp`, or for old QuickTime files, `moov`,
    /// `mdat`, `free`, `skip` or `wide`.
    static let leadingTypes: Set<UInt32> = [
        ISOBMFFBox.ftyp, ISOBMFFBox.moov, ISOBMFFBox.mdat, ISOBMFFBox.free, ISOBMFFBox.skip, ISOBMFFBox.wide,
    ]

    /// Major brands of still-image files (HEIF, AVIF) built on the same boxes; they have no `moov` and are
    /// left to other readers.
    static let imageBrands: Set<UInt32> = [
        ISOBMFFBox.code("mif1"), ISOBMFFBox.code("heic"), ISOBMFFBox.code("heix"), ISOBMFFBox.code("avif"),
    ]

    /// Creates the reader.
    public init() {}

    /// Whether the file starts with a box of a type in ``leadingTypes`` and a possible size, and is not a
    /// still image (an `ftyp` with a major brand in ``imageBrands``).
    public func recognizes(head: [UInt8]) -> Bool {
        guard let size = head.u32be(0), let type = head.u32be(4), Self.leadingTypes.contains(type) else {
            return false
        }
        if type == ISOBMFFBox.ftyp, let brand = head.u32be(8), Self.imageBrands.contains(brand) { return false }
        return size == 0 || size == 1 || size >= 8
    }

    /// Reads the container from the `ftyp` major brand, then the kind and duration from `moov` (and the
    /// `moof` fragments when the file is fragmented).
    ///
    /// - Throws: ``ProbeFailure/truncated(_:)`` when a box runs past the end of the file or there is no
    ///   `moov`; ``ProbeFailure/malformed(_:)`` for impossible box sizes, too many boxes, or a `moov` without
    ///   an `mvhd` or with a timescale of 0;
    ///   ``ProbeFailure/readBudgetExceeded(_:)`` for a `moov` larger than 64 MiB.
    public func probe(_ reader: RandomAccessReader, head: [UInt8]) throws -> ContainerFindings {
        let boxes = ISOBMFFBoxReader(reader: reader)
        var majorBrand: UInt32?
        var hasFileType = false
        var moov: ISOBMFFBox?
        var moofs: [ISOBMFFBox] = []
        try boxes.forEachBox(from: 0, to: reader.size, depth: 0, parent: ISOBMFFBoxReader.topLevel) { box in
            switch box.type {
            case ISOBMFFBox.ftyp where !hasFileType:
                hasFileType = true
                majorBrand = try boxes.body(of: box, upTo: 4).u32be(0)
            case ISOBMFFBox.moov where moov == nil:
                moov = box
            case ISOBMFFBox.moof:
                moofs.append(box)
            default:
                break
            }
            return true
        }
        let container = Self.container(majorBrand: majorBrand, hasFileType: hasFileType)
        guard let moov else {
            throw ProbeFailure.truncated("no moov box in \(reader.size) bytes of \(container) boxes")
        }
        guard moov.size <= Self.maxMovieSize else { throw ProbeFailure.readBudgetExceeded(Self.maxMovieSize) }
        let movie = try boxes.readMovie(moov)
        guard let timescale = movie.timescale else {
            throw ProbeFailure.malformed("'moov' at byte \(moov.offset) has no readable 'mvhd'")
        }
        guard timescale > 0 else { throw ProbeFailure.malformed("'mvhd' timescale is 0") }
        var findings = ContainerFindings(container: container, kind: Self.kind(of: movie, container: container))
        try Self.findDuration(of: movie, timescale: timescale, moofs: moofs, boxes: boxes, into: &findings)
        return findings
    }

    /// The container named by the major brand: `qt  ` is MOV, `M4A ` and `M4B ` are M4A, `3gp…` and
    /// `3g2…` are 3GP, any other is MP4. A file without `ftyp` is old QuickTime.
    static func container(majorBrand: UInt32?, hasFileType: Bool) -> Container {
        guard hasFileType else { return .mov }
        guard let brand = majorBrand else { return .mp4 }
        switch brand {
        case ISOBMFFBox.code("qt  "):
            return .mov
        case ISOBMFFBox.code("M4A "), ISOBMFFBox.code("M4B "):
            return .m4a
        default:
            let prefix = brand >> 8
            return prefix == ISOBMFFBox.code("3gp") || prefix == ISOBMFFBox.code("3g2") ? .threeGP : .mp4
        }
    }

    /// Video when any track's handler is `vide`, audio when the others are `soun` (or, without tracks, for
    /// an M4A brand), else video: media of an unknown kind.
    static func kind(of movie: ISOBMFFMovie, container: Container) -> MediaKind {
        let handlers = movie.tracks.compactMap(\.handler)
        if handlers.contains(ISOBMFFBox.code("vide")) { return .video }
        if handlers.contains(ISOBMFFBox.code("soun")) { return .audio }
        return handlers.isEmpty && container == .m4a ? .audio : .video
    }

    /// Sets the duration and its source, or the reason there is none. A fragmented file (`mvex`, or `moof`
    /// boxes) takes `mehd`, else where its fragments end when that is later than `mvhd` (which then covers
    /// only the samples in `moov`); any other file takes `mvhd`.
    private static func findDuration(
        of movie: ISOBMFFMovie, timescale: UInt32, moofs: [ISOBMFFBox], boxes: ISOBMFFBoxReader,
        into findings: inout ContainerFindings
    ) throws {
        let movieSeconds = movie.duration.map { Double($0) / Double(timescale) }
        if movie.isFragmented || !moofs.isEmpty {
            if let fragmentDuration = movie.fragmentDuration {
                findings.duration = Double(fragmentDuration) / Double(timescale)
                findings.durationSource = "mehd"
                return
            }
            if !moofs.isEmpty, let seconds = try boxes.fragmentedDuration(moofs: moofs, movie: movie),
                seconds >= movieSeconds ?? 0
            {
                findings.duration = seconds
                findings.durationSource = "fragments"
                return
            }
        }
        if let movieSeconds, movieSeconds > 0 {
            findings.duration = movieSeconds
            findings.durationSource = "mvhd"
            return
        }
        if movie.isFragmented {
            findings.reason = "fragmented file without mehd or moof fragments"
        } else {
            findings.reason = "mvhd duration is \(movie.duration.map { "\($0)" } ?? "unknown")"
        }
    }
}
