/// Reads Matroska and WebM files (EBML, RFC 8794; Matroska, RFC 9559).
///
/// Reads the EBML header's DocType, then the Segment's top-level elements by seeking from header to header
/// up to the first Cluster (following the SeekHead for an Info or Tracks placed elsewhere). The duration is
/// Segment Info Duration × TimecodeScale (`"segment-info"`); without a Duration, as in live-written WebM,
/// it is where the last Cluster's latest block ends, found in the file's tail (`"last-cluster"`). The kind
/// comes from the TrackTypes.
public struct MatroskaProbe: ContainerProbe {
    /// The most top-level elements read before the first Cluster.
    static let maxLeadingElements = 4096

    /// Creates the reader.
    public init() {}

    /// Whether the file starts with the EBML magic `1A 45 DF A3`.
    public func recognizes(head: [UInt8]) -> Bool {
        head.u32be(0) == MatroskaID.ebml
    }

    /// Reads the DocType, the Segment Info and the Tracks, and the last Cluster when there is no Duration.
    ///
    /// - Throws: ``ProbeFailure/malformed(_:)`` for invalid or impossible element sizes (past the end of the
    ///   file, unknown where not allowed), too many elements, or no Segment.
    public func probe(_ reader: RandomAccessReader, head: [UInt8]) throws -> ContainerFindings {
        let elements = MatroskaElementReader(reader: reader)
        guard let header = try elements.header(at: 0, parentEnd: reader.size, parent: "the file"),
            header.id == MatroskaID.ebml
        else { throw ProbeFailure.malformed("no EBML header") }
        let docType = try elements.docType(of: header)
        let container: Container = docType == "webm" ? .webm : .matroska
        let segment = try Self.findSegment(after: header, in: elements)
        let segmentEnd = segment.dataEnd(orElse: reader.size)
        let top = try Self.readTopLevel(of: segment, end: segmentEnd, in: elements)
        let info = top.info ?? MatroskaSegmentInfo()
        var findings = ContainerFindings(container: container, kind: Self.kind(of: top.tracks))
        let seconds = info.duration.map { $0 * Double(info.timestampScale) / 1e9 }
        if let seconds, seconds > 0, seconds.isFinite {
            findings.duration = seconds
            findings.durationSource = "segment-info"
            return findings
        }
        var defaultDurations: [UInt64: UInt64] = [:]
        for track in top.tracks {
            if let number = track.number, let frame = track.defaultDuration { defaultDurations[number] = frame }
        }
        let timeline = MatroskaTimeline(timestampScale: info.timestampScale, defaultDurations: defaultDurations)
        if let end = try elements.lastClusterEnd(
            firstCluster: top.firstCluster, segmentData: segment.dataOffset, segmentEnd: segmentEnd,
            timeline: timeline)
        {
            let start = try top.firstCluster.flatMap { try elements.clusterStart(at: $0, timeline: timeline) } ?? 0
            findings.duration = max(0, end - min(start, end)) / 1e9
            findings.durationSource = "last-cluster"
        } else {
            findings.reason = "no Duration in Segment Info and no Cluster found at the end of the file"
        }
        return findings
    }

    /// Video when a track has TrackType 1, audio when one has TrackType 2 and none is video, else video
    /// (media of an unknown kind).
    static func kind(of tracks: [MatroskaTrack]) -> MediaKind {
        let types = Set(tracks.compactMap(\.type))
        return !types.contains(1) && types.contains(2) ? .audio : .video
    }

    /// The Segment: the first top-level element after the EBML header that is one, skipping Void and other
    /// sized elements.
    private static func findSegment(
        after header: MatroskaElement, in elements: MatroskaElementReader
    ) throws
        -> MatroskaElement
    {
        var at = header.dataEnd(orElse: elements.reader.size)
        for _ in 0..<16 {
            guard let element = try elements.header(at: at, parentEnd: elements.reader.size, parent: "the file")
            else { break }
            if element.id == MatroskaID.segment { return element }
            guard let size = element.size else { break }
            at = element.dataOffset + size
        }
        throw ProbeFailure.malformed("no Segment after the EBML header")
    }

    /// What the Segment's top-level elements before the first Cluster give.
    private struct TopLevel {
        var info: MatroskaSegmentInfo?
        var tracks: [MatroskaTrack] = []
        var firstCluster: Int64?
    }

    /// Walks the Segment's top-level elements up to the first Cluster (or until Info with a Duration and
    /// Tracks are read), reading SeekHead, Info and Tracks, then reads Info and Tracks where the SeekHead says
    /// when they were not met.
    private static func readTopLevel(
        of segment: MatroskaElement, end: Int64, in elements: MatroskaElementReader
    ) throws -> TopLevel {
        var top = TopLevel()
        var hasTracks = false
        var seeks: [UInt32: Int64] = [:]
        var seekHeadsRead: Set<Int64> = []
        var at = segment.dataOffset
        for _ in 0..<maxLeadingElements {
            guard let element = try elements.header(at: at, parentEnd: end, parent: "Segment") else { break }
            switch element.id {
            case MatroskaID.cluster:
                top.firstCluster = element.offset
            case MatroskaID.seekHead where seekHeadsRead.insert(element.offset).inserted:
                let found = try elements.readSeekHead(element, segmentData: segment.dataOffset, segmentEnd: end)
                seeks.merge(found) { old, _ in old }
            case MatroskaID.info where top.info == nil:
                top.info = try elements.readInfo(element)
            case MatroskaID.tracks where !hasTracks:
                top.tracks = try elements.readTracks(element)
                hasTracks = true
            default:
                break
            }
            let complete = hasTracks && top.info?.duration != nil
            guard !complete, top.firstCluster == nil, let size = element.size else { break }
            at = element.dataOffset + size
        }
        if top.info == nil || !hasTracks, let other = seeks[MatroskaID.seekHead],
            seekHeadsRead.insert(other).inserted,
            let element = try elements.header(at: other, parentEnd: end, parent: "Segment"),
            element.id == MatroskaID.seekHead
        {
            let found = try elements.readSeekHead(element, segmentData: segment.dataOffset, segmentEnd: end)
            seeks.merge(found) { old, _ in old }
        }
        if top.info == nil, let element = try seekTarget(MatroskaID.info, seeks, end: end, in: elements) {
            top.info = try elements.readInfo(element)
        }
        if !hasTracks, let element = try seekTarget(MatroskaID.tracks, seeks, end: end, in: elements) {
            top.tracks = try elements.readTracks(element)
        }
        return top
    }

    /// The element of type `id` where the SeekHead says, when it is there.
    private static func seekTarget(
        _ id: UInt32, _ seeks: [UInt32: Int64], end: Int64, in elements: MatroskaElementReader
    ) throws -> MatroskaElement? {
        guard let position = seeks[id],
            let element = try elements.header(at: position, parentEnd: end, parent: "Segment"),
            element.id == id
        else { return nil }
        return element
    }
}
