/// What Segment Info says: the timestamp scale and the duration.
struct MatroskaSegmentInfo {
    /// TimestampScale (TimecodeScale): nanoseconds per timestamp unit; 1,000,000 by default.
    var timestampScale: UInt64 = 1_000_000
    /// Duration, in timestamp units; `nil` when absent (as in live-written files).
    var duration: Double?
}

/// What one TrackEntry says.
struct MatroskaTrack {
    /// TrackNumber, as used in blocks.
    var number: UInt64?
    /// TrackType: 1 video, 2 audio, 17 subtitle, …
    var type: UInt64?
    /// DefaultDuration: nanoseconds per frame, when constant.
    var defaultDuration: UInt64?
}

extension MatroskaElementReader {
    /// The largest EBML header, SeekHead or Info read.
    static let maxSmallElement = 1 << 20
    /// The largest Tracks read (codec private data makes it bigger than the others).
    static let maxTracks = 4 << 20

    /// The DocType of the EBML header (`webm`, `matroska`), when present.
    func docType(of header: MatroskaElement) throws -> String? {
        let bytes = try data(of: header, limit: 4096)
        let children = try children(in: bytes, range: 0..<bytes.count, base: header.dataOffset, parent: "EBML header")
        guard let child = children.first(where: { $0.id == MatroskaID.docType }) else { return nil }
        return String(decoding: bytes[child.data].prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The Segment Info's timestamp scale and duration.
    ///
    /// - Throws: ``ProbeFailure/malformed(_:)`` for a TimestampScale of 0 or longer than 8 bytes.
    func readInfo(_ info: MatroskaElement) throws -> MatroskaSegmentInfo {
        let bytes = try data(of: info, limit: Self.maxSmallElement)
        var result = MatroskaSegmentInfo()
        for child in try children(in: bytes, range: 0..<bytes.count, base: info.dataOffset, parent: "Info") {
            switch child.id {
            case MatroskaID.timestampScale:
                guard let scale = MatroskaEBML.unsigned(bytes[child.data]), scale > 0 else {
                    throw ProbeFailure.malformed("TimecodeScale in Info at byte \(info.offset) is 0 or too long")
                }
                result.timestampScale = scale
            case MatroskaID.duration:
                result.duration = MatroskaEBML.float(bytes[child.data])
            default:
                break
            }
        }
        return result
    }

    /// The track entries: number, type and default duration of each.
    func readTracks(_ tracks: MatroskaElement) throws -> [MatroskaTrack] {
        let bytes = try data(of: tracks, limit: Self.maxTracks)
        var result: [MatroskaTrack] = []
        for entry in try children(in: bytes, range: 0..<bytes.count, base: tracks.dataOffset, parent: "Tracks")
        where entry.id == MatroskaID.trackEntry {
            var track = MatroskaTrack()
            for field in try children(in: bytes, range: entry.data, base: tracks.dataOffset, parent: "TrackEntry") {
                switch field.id {
                case MatroskaID.trackNumber: track.number = MatroskaEBML.unsigned(bytes[field.data])
                case MatroskaID.trackType: track.type = MatroskaEBML.unsigned(bytes[field.data])
                case MatroskaID.defaultDuration: track.defaultDuration = MatroskaEBML.unsigned(bytes[field.data])
                default: break
                }
            }
            result.append(track)
        }
        return result
    }

    /// The SeekHead's entries: element ID → absolute file offset, kept only when inside the Segment
    /// (`segmentData..<segmentEnd`).
    func readSeekHead(_ seekHead: MatroskaElement, segmentData: Int64, segmentEnd: Int64) throws -> [UInt32: Int64] {
        let bytes = try data(of: seekHead, limit: Self.maxSmallElement)
        var positions: [UInt32: Int64] = [:]
        for seek in try children(in: bytes, range: 0..<bytes.count, base: seekHead.dataOffset, parent: "SeekHead")
        where seek.id == MatroskaID.seek {
            var id: UInt32?
            var position: UInt64?
            for field in try children(in: bytes, range: seek.data, base: seekHead.dataOffset, parent: "Seek") {
                if field.id == MatroskaID.seekID, field.data.count <= 4 {
                    id = MatroskaEBML.unsigned(bytes[field.data]).map { UInt32($0) }
                } else if field.id == MatroskaID.seekPosition {
                    position = MatroskaEBML.unsigned(bytes[field.data])
                }
            }
            guard let id, let position, position < UInt64(max(0, segmentEnd - segmentData)) else { continue }
            if positions[id] == nil { positions[id] = segmentData + Int64(position) }
        }
        return positions
    }
}
