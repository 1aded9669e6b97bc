/// The two parts of a transport or program stream that a duration needs: its first and its last MiB.
///
/// A file of at most two windows is read once, whole, and serves as both.
struct MPEGPESWindows {
    /// The size of each window.
    static let windowSize = 1 << 20

    /// The first bytes of the file.
    var first: [UInt8]
    /// The last bytes of the file (the same bytes as ``first`` when the file is small).
    var last: [UInt8]
    /// Where ``last`` starts in the file.
    var lastOffset: Int64

    /// Reads the windows of the file behind `reader`; `what` names the container in errors.
    init(_ reader: RandomAccessReader, what: String) throws {
        let window = Int64(Self.windowSize)
        if reader.size <= 2 * window {
            let whole = try reader.readExactly(at: 0, count: Int(reader.size), what: "\(what) file")
            first = whole
            last = whole
            lastOffset = 0
        } else {
            first = try reader.readExactly(at: 0, count: Self.windowSize, what: "\(what) first MiB")
            lastOffset = reader.size - window
            last = try reader.readExactly(at: lastOffset, count: Self.windowSize, what: "\(what) last MiB")
        }
    }
}
