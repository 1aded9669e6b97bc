extension MatroskaElementReader {
    /// The tail lengths searched for the last Cluster, shortest first.
    static let tailWindows = [256 << 10, 2 << 20]
    /// The most elements read when walking Clusters forward from the first, when the tail has none.
    static let maxForwardElements = 20_000

    /// Where the last Cluster's latest block ends, in nanoseconds, for files without a Segment Duration.
    ///
    /// Reads the last 256 KiB, then the last 2 MiB, of the Segment and looks backwards for the Cluster ID
    /// `1F 43 B6 75` followed by a plausible size and a Timestamp; the last one that reads as a Cluster
    /// wins. When the tail holds none (a last Cluster longer than 2 MiB), walks the Clusters forward from
    /// `firstCluster` by their sizes, reading headers only, within ``maxForwardElements``.
    ///
    /// - Returns: `nil` when no Cluster was found.
    /// - Throws: ``ProbeFailure/truncated(_:)`` when the last Cluster runs past the end of the file;
    ///   ``ProbeFailure/malformed(_:)`` for impossible element sizes met on the way.
    func lastClusterEnd(
        firstCluster: Int64?, segmentData: Int64, segmentEnd: Int64, timeline: MatroskaTimeline
    ) throws -> Double? {
        let end = min(segmentEnd, reader.size)
        let floor = firstCluster ?? segmentData
        var window: [UInt8] = []
        var windowStart = end
        for length in Self.tailWindows {
            let start = max(floor, end - Int64(length))
            guard start < windowStart else { continue }
            let searched = windowStart
            window =
                try reader.readExactly(at: start, count: Int(windowStart - start), what: "the last Clusters")
                + window
            windowStart = start
            if let found = try lastCluster(
                in: window, at: windowStart, below: searched, limit: end, timeline: timeline)
            {
                return found.endNanoseconds
            }
        }
        guard let firstCluster, firstCluster < windowStart else { return nil }
        do {
            return try walkClusters(from: firstCluster, limit: end, timeline: timeline)?.endNanoseconds
        } catch is MatroskaNotACluster {
            return nil
        }
    }

    /// The last Cluster starting in `window` (file bytes from `windowStart`) before byte `below`.
    private func lastCluster(
        in window: [UInt8], at windowStart: Int64, below: Int64, limit: Int64, timeline: MatroskaTimeline
    ) throws -> MatroskaClusterEnd? {
        let parser = MatroskaClusterParser(
            timeline: timeline, limit: limit,
            fetch: { offset, count in
                let from = offset - windowStart
                guard from >= 0, from < Int64(window.count) else { return [] }
                let start = Int(from)
                return Array(window[start..<min(window.count, start + count)])
            },
            count: { [unowned self] offset in try self.count(at: offset) })
        var index = min(Int(below - windowStart) - 1, window.count - 4)
        while index >= 0 {
            if window[index] == 0x1F, window[index + 1] == 0x43, window[index + 2] == 0xB6, window[index + 3] == 0x75 {
                do {
                    return try parser.parse(at: windowStart + Int64(index))
                } catch is MatroskaNotACluster {
                    // Cluster ID bytes inside frame data: keep looking.
                }
            }
            index -= 1
        }
        return nil
    }

    /// Walks the Segment's top-level elements from `first` by their sizes (reading through Clusters of
    /// unknown size child by child) and reads the last Cluster.
    ///
    /// - Throws: ``MatroskaNotACluster`` when the walk needs more than ``maxForwardElements`` elements or
    ///   meets an inconsistent Cluster.
    private func walkClusters(
        from first: Int64, limit: Int64, timeline: MatroskaTimeline
    ) throws
        -> MatroskaClusterEnd?
    {
        var steps = 0
        let step = { [unowned self] (offset: Int64) throws in
            steps += 1
            guard steps <= Self.maxForwardElements else {
                throw MatroskaNotACluster(reason: "more than \(Self.maxForwardElements) elements to the last Cluster")
            }
            try self.count(at: offset)
        }
        let parser = MatroskaClusterParser(
            timeline: timeline, limit: limit, fetch: { [unowned self] in try self.reader.read(at: $0, count: $1) },
            count: step)
        var lastSized: Int64?
        var lastRead: MatroskaClusterEnd?
        var at = first
        while at < limit {
            try step(at)
            guard let element = try header(at: at, parentEnd: limit, parent: "Segment") else { break }
            if element.id == MatroskaID.cluster, element.size == nil {
                let cluster = try parser.parse(at: at)
                lastRead = cluster
                lastSized = nil
                at = max(cluster.end, element.dataOffset)
            } else if let size = element.size {
                if element.id == MatroskaID.cluster {
                    lastSized = at
                    lastRead = nil
                }
                at = element.dataOffset + size
            } else {
                break
            }
        }
        if let lastSized { return try parser.parse(at: lastSized) }
        return lastRead
    }

    /// The Timestamp of the Cluster at `offset`, in nanoseconds, read from the Cluster's first 64 bytes
    /// (a CRC-32 or Void before it is skipped); `nil` when it is not there.
    func clusterStart(at offset: Int64, timeline: MatroskaTimeline) throws -> Double? {
        let bytes = try reader.read(at: offset, count: 64)
        guard MatroskaEBML.id(in: bytes, at: 0)?.value == MatroskaID.cluster,
            let size = MatroskaEBML.size(in: bytes, at: 4)
        else { return nil }
        var at = 4 + size.length
        while let id = MatroskaEBML.id(in: bytes, at: at),
            let length = MatroskaEBML.size(in: bytes, at: at + id.length),
            let value = length.value
        {
            let data = at + id.length + length.length
            guard data <= bytes.count, value <= UInt64(bytes.count - data) else { return nil }
            let end = data + Int(value)
            if id.value == MatroskaID.timestamp {
                return MatroskaEBML.unsigned(bytes[data..<end]).map { Double($0) * Double(timeline.timestampScale) }
            }
            guard id.value == MatroskaID.crc32 || id.value == MatroskaID.void else { return nil }
            at = end
        }
        return nil
    }
}
