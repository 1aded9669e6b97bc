/// Finds the granule positions of the streams' last pages by scanning the end of the file backwards for
/// `OggS`, taking only whole pages whose CRC matches so that `OggS` inside packet data is not taken for a
/// page.
enum OggLastGranule {
    /// What the end of the file holds.
    struct Scan {
        /// The granule of the last page with a positive granule, by stream serial number.
        var granules: [UInt32: Int64] = [:]
        /// How many bytes at the end of the file were scanned.
        var scannedBytes = 0
    }

    /// Scans the last 64 KiB, then the last 1 MiB, until a page of `preferred` is found.
    ///
    /// - Parameter start: the file's first bytes, already read; used instead of reading again when they
    ///   hold the whole file.
    static func scan(preferred: UInt32, in reader: RandomAccessReader, start: [UInt8]) throws -> Scan {
        if Int64(start.count) >= reader.size { return scan(preferred: preferred, bytes: start) }
        var result = Scan()
        for window in windows {
            let offset = max(0, reader.size - Int64(window))
            let bytes = try reader.read(at: offset, count: Int(reader.size - offset))
            result = scan(preferred: preferred, bytes: bytes)
            if result.granules[preferred] != nil || offset == 0 { break }
        }
        return result
    }

    /// Scans `bytes` backwards, stopping at the first valid page of `preferred`, or when the checksum work
    /// reaches a few times the size of `bytes` (a tail full of fake headers).
    static func scan(preferred: UInt32, bytes: [UInt8]) -> Scan {
        var result = Scan(scannedBytes: bytes.count)
        var checksumBudget = 4 * bytes.count + 65_536
        var position = bytes.count - 27
        while position >= 0, checksumBudget > 0 {
            defer { position -= 1 }
            guard bytes[position] == 0x4F, let page = OggPage(bytes, at: position), page.granule > 0,
                result.granules[page.serial] == nil, page.fits(in: bytes)
            else { continue }
            checksumBudget -= page.length
            guard page.hasValidChecksum(in: bytes) else { continue }
            result.granules[page.serial] = page.granule
            if page.serial == preferred { break }
        }
        return result
    }

    /// The sizes of the end windows scanned, in order.
    private static let windows = [64 << 10, 1 << 20]
}
