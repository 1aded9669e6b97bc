#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds a multipart delimiter (`CRLF--<boundary>`) in a chunk of body bytes, looking at only a few of them.
///
/// The search is Horspool's: it compares the delimiter's last byte with the chunk's byte under it and, on a
/// mismatch, moves the delimiter on by as much as that byte allows: by the whole delimiter's length when
/// the byte appears nowhere in it, as is most often the case in media. A file's bytes are then read about
/// once every 30 to 70 (the delimiter's length), instead of all of them by `memchr` for a CR, which random
/// bytes hold once every 256 and which cost a call each: on a 1 GiB upload that took 5 % of the sandbox's
/// CPU.
///
/// A delimiter holds one CR, its first byte: RFC 2046 does not allow a CR in a boundary. So at most one
/// position at a chunk's end, a CR, can begin a delimiter that the next chunk completes.
struct MultipartDelimiterSearch: Sendable {
    /// `CRLF--<boundary>`.
    let delimiter: [UInt8]
    /// For each byte value, how far the delimiter may move when that byte is under its last byte and the
    /// delimiter does not end there.
    private let shifts: [UInt8]

    /// Creates a search for `delimiter`, of 1 to 255 bytes.
    init(delimiter: [UInt8]) {
        precondition(!delimiter.isEmpty && delimiter.count <= Int(UInt8.max), "a delimiter of 1 to 255 bytes")
        self.delimiter = delimiter
        var shifts = [UInt8](repeating: UInt8(delimiter.count), count: 256)
        for (index, byte) in delimiter.dropLast().enumerated() {
            shifts[Int(byte)] = UInt8(delimiter.count - 1 - index)
        }
        self.shifts = shifts
    }

    /// The index of the first whole delimiter in `bytes[start..<end]`, or `nil`.
    func firstMatch(in bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        let length = delimiter.count
        guard end - start >= length, let base = bytes.baseAddress else { return nil }
        return delimiter.withUnsafeBytes { delimiter in
            shifts.withUnsafeBufferPointer { shifts in
                let last = delimiter[length - 1]
                var window = start + length - 1  // the chunk's index under the delimiter's last byte
                while window < end {
                    let byte = base.load(fromByteOffset: window, as: UInt8.self)
                    let begin = window + 1 - length
                    if byte == last, memcmp(base + begin, delimiter.baseAddress!, length - 1) == 0 {
                        return begin
                    }
                    window += Int(shifts[Int(byte)])
                }
                return nil
            }
        }
    }

    /// The index in `bytes[start..<end]` from which the rest of the range is a proper beginning of the
    /// delimiter (a delimiter the next chunk may complete), or `nil`. Call it when ``firstMatch(in:from:to:)``
    /// found none.
    func partialMatchAtEnd(in bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var from = Swift.max(start, end - (delimiter.count - 1))
        // Each CR in the last bytes may begin it (an earlier one that does not leaves room for a later one).
        while from < end, let found = memchr(base + from, Int32(delimiter[0]), end - from) {
            let index = base.distance(to: UnsafeRawPointer(found))
            if delimiter.withUnsafeBytes({ memcmp(base + index, $0.baseAddress!, end - index) == 0 }) {
                return index
            }
            from = index + 1
        }
        return nil
    }
}
