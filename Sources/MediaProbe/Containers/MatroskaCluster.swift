/// What block times mean: the timestamp scale, and each track's default frame duration.
struct MatroskaTimeline {
    /// Nanoseconds per timestamp unit.
    var timestampScale: UInt64
    /// DefaultDuration in nanoseconds, by track number.
    var defaultDurations: [UInt64: UInt64]
}

/// Where one Cluster ends in time: its Timestamp and the latest end of its blocks.
struct MatroskaClusterEnd {
    /// The Cluster Timestamp, in timestamp units.
    var timestamp: UInt64
    /// The latest block start plus that block's duration (BlockDuration, else the track's DefaultDuration
    /// times its laced frames, else nothing), in nanoseconds; the Cluster's own time when it has no blocks.
    var endNanoseconds: Double
    /// The byte where the Cluster ends (for an unknown size, where its last child ends).
    var end: Int64
}

/// Bytes that looked like a Cluster but are not one (or not one that can be read to its end).
struct MatroskaNotACluster: Error {
    var reason: String
}

/// Reads one Cluster's Timestamp and block headers, from the file or from a window of it held in memory,
/// reading a few bytes per block and never the block data.
struct MatroskaClusterParser {
    /// How block times are converted.
    var timeline: MatroskaTimeline
    /// The end of the data the Cluster must end by (the Segment's or the file's end).
    var limit: Int64
    /// Up to `count` bytes at a file offset; fewer at the end of the data.
    var fetch: (Int64, Int) throws -> [UInt8]
    /// Called once per element read, to bound the work.
    var count: (Int64) throws -> Void

    /// Reads the Cluster at `offset`.
    ///
    /// - Throws: ``MatroskaNotACluster`` when the bytes there are not a consistent Cluster: no Cluster ID,
    ///   an invalid child, a block before the Timestamp, no Timestamp, a child running past the end of a
    ///   Cluster that fits. ``ProbeFailure/truncated(_:)`` for a consistent Cluster whose size, or whose last
    ///   child, runs past ``limit``: the file was cut short. Errors of `fetch` and `count` pass through.
    func parse(at offset: Int64) throws -> MatroskaClusterEnd {
        let head = try fetch(offset, 12)
        guard MatroskaEBML.id(in: head, at: 0)?.value == MatroskaID.cluster,
            let size = MatroskaEBML.size(in: head, at: 4)
        else { throw MatroskaNotACluster(reason: "no Cluster header at byte \(offset)") }
        let dataStart = offset + 4 + Int64(size.length)
        guard dataStart < limit else { throw MatroskaNotACluster(reason: "Cluster at byte \(offset) is empty") }
        var clusterEnd = limit
        // A Cluster cut short by the end of the file is read as far as it goes, to tell a real one (the
        // file is truncated) from Cluster ID bytes inside frame data.
        var cutShort = false
        if let value = size.value {
            if value <= UInt64(limit - dataStart) {
                clusterEnd = dataStart + Int64(value)
            } else {
                cutShort = true
            }
        }
        let unknownSize = size.value == nil
        var timestamp: UInt64?
        var latest: Double?
        var at = dataStart
        while at < clusterEnd {
            let bytes = try fetch(at, Int(min(12, clusterEnd - at)))
            guard let id = MatroskaEBML.id(in: bytes, at: 0) else {
                if unknownSize { break }
                throw MatroskaNotACluster(reason: "invalid element in Cluster at byte \(at)")
            }
            if unknownSize, !MatroskaID.clusterChildren.contains(id.value) { break }
            guard let childSize = MatroskaEBML.size(in: bytes, at: id.length), let value = childSize.value else {
                throw MatroskaNotACluster(reason: "invalid or unknown size in Cluster at byte \(at)")
            }
            try count(at)
            let childData = at + Int64(id.length + childSize.length)
            let fits = childData <= clusterEnd && value <= UInt64(clusterEnd - childData)
            guard fits || unknownSize || cutShort else {
                throw MatroskaNotACluster(reason: "element at byte \(at) runs past the Cluster's end")
            }
            cutShort = cutShort || !fits
            let childEnd = fits ? childData + Int64(value) : clusterEnd
            switch id.value {
            case MatroskaID.timestamp:
                guard value <= 8, fits, timestamp == nil else {
                    throw MatroskaNotACluster(reason: "bad Cluster Timestamp at byte \(at)")
                }
                timestamp = MatroskaEBML.unsigned(try fetch(childData, Int(value))[...])
            case MatroskaID.simpleBlock, MatroskaID.blockGroup:
                guard let timestamp else {
                    throw MatroskaNotACluster(reason: "a block before the Cluster Timestamp at byte \(at)")
                }
                let blockEnd =
                    id.value == MatroskaID.simpleBlock
                    ? self.blockEnd(header: try fetch(childData, 16), cluster: timestamp, duration: nil)
                    : try groupEnd(from: childData, to: childEnd, cluster: timestamp)
                if let blockEnd { latest = max(latest ?? blockEnd, blockEnd) }
            default:
                break
            }
            at = childEnd
        }
        guard let timestamp else { throw MatroskaNotACluster(reason: "Cluster at byte \(offset) has no Timestamp") }
        if cutShort {
            throw ProbeFailure.truncated(
                "Cluster at byte \(offset) runs past the end at byte \(limit): the file is cut short")
        }
        let own = Double(timestamp) * Double(timeline.timestampScale)
        return MatroskaClusterEnd(timestamp: timestamp, endNanoseconds: max(latest ?? own, own), end: at)
    }

    /// The end time of the Block in the BlockGroup whose children lie in `start..<end`, using its
    /// BlockDuration when there is one.
    private func groupEnd(from start: Int64, to end: Int64, cluster: UInt64) throws -> Double? {
        var blockHeader: [UInt8]?
        var duration: UInt64?
        var at = start
        while at < end {
            let bytes = try fetch(at, Int(min(12, end - at)))
            guard let id = MatroskaEBML.id(in: bytes, at: 0), let size = MatroskaEBML.size(in: bytes, at: id.length),
                let value = size.value
            else { break }
            try count(at)
            let dataStart = at + Int64(id.length + size.length)
            if id.value == MatroskaID.block {
                blockHeader = try fetch(dataStart, 16)
            } else if id.value == MatroskaID.blockDuration, value <= 8 {
                duration = MatroskaEBML.unsigned(try fetch(dataStart, Int(value))[...])
            }
            guard dataStart <= end, value <= UInt64(end - dataStart) else { break }
            at = dataStart + Int64(value)
        }
        return blockHeader.flatMap { blockEnd(header: $0, cluster: cluster, duration: duration) }
    }

    /// The end time in nanoseconds of a block whose header (track number, 16-bit relative timestamp,
    /// flags, lace count) is `header`.
    private func blockEnd(header: [UInt8], cluster: UInt64, duration: UInt64?) -> Double? {
        guard let track = MatroskaEBML.size(in: header, at: 0), let number = track.value,
            let relative = header.u16be(track.length)
        else { return nil }
        let scale = Double(timeline.timestampScale)
        let start = (Double(cluster) + Double(Int16(bitPattern: relative))) * scale
        if let duration { return start + Double(duration) * scale }
        guard let frame = timeline.defaultDurations[number] else { return start }
        let lacing = (header.u8(track.length + 2) ?? 0) >> 1 & 0x03
        let frames = lacing == 0 ? 1 : Double(header.u8(track.length + 3) ?? 0) + 1
        return start + Double(frame) * frames
    }
}
