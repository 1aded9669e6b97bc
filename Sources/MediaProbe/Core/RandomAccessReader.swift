import Foundation

/// Reads parts of a file by offset, never the whole of it, and counts what it read.
///
/// Every container reader works through this type, so that a probe of a 5 GB file reads only headers and
/// the end, and ``bytesRead`` proves it. Reads past the end return what there is (possibly nothing).
public final class RandomAccessReader {
    /// The file's size in bytes.
    public let size: Int64
    /// How many bytes were read so far.
    public private(set) var bytesRead: Int64 = 0
    /// The most bytes one probe may read in all; past it reads fail with ``ProbeFailure/readBudgetExceeded``.
    public let readBudget: Int64

    private let descriptor: Int32
    /// The bytes last read from the file, from `windowStart`: small reads near each other (a container's
    /// headers) are served from it, so probing a small file costs one `pread(2)`, not two system calls a box.
    private var window: [UInt8] = []
    private var windowStart: Int64 = 0
    /// How much one read-ahead fetches: a few headers of a large file, the whole of a small one.
    static let windowLength = 16 * 1024

    /// Opens `url` for reading.
    ///
    /// - Throws: ``ProbeFailure`` when the file cannot be opened.
    public init(url: URL, readBudget: Int64 = 8 << 20) throws {
        // O_NONBLOCK: a FIFO with no writer would block a plain open(2) for ever; it is refused instead.
        let descriptor = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw ProbeFailure.cannotOpen(String(cString: strerror(errno))) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw ProbeFailure.cannotOpen("not a regular file")
        }
        self.descriptor = descriptor
        size = Int64(status.st_size)
        self.readBudget = readBudget
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes from `offset`; fewer at the end of the file, none past it. ``bytesRead`` counts
    /// the bytes asked for, whether they came from the file or from the last read-ahead.
    ///
    /// - Throws: ``ProbeFailure/readBudgetExceeded`` when the probe has read its budget.
    public func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, count > 0, offset < size else { return [] }
        let wanted = Int(min(Int64(count), size - offset))
        guard bytesRead + Int64(wanted) <= readBudget else { throw ProbeFailure.readBudgetExceeded(readBudget) }
        let bytes: [UInt8]
        if offset >= windowStart, offset + Int64(wanted) <= windowStart + Int64(window.count) {
            let start = Int(offset - windowStart)
            bytes = Array(window[start..<start + wanted])
        } else if wanted <= Self.windowLength {
            window = try fetch(at: offset, count: Int(min(Int64(Self.windowLength), size - offset)))
            windowStart = offset
            bytes = Array(window.prefix(wanted))
        } else {
            bytes = try fetch(at: offset, count: wanted)
        }
        bytesRead += Int64(bytes.count)
        return bytes
    }

    /// `pread(2)` until `count` bytes or the end of the file.
    private func fetch(at offset: Int64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        try bytes.withUnsafeMutableBytes { buffer in
            while filled < count {
                let got = pread(descriptor, buffer.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled))
                if got < 0 {
                    if errno == EINTR { continue }
                    throw ProbeFailure.ioError(String(cString: strerror(errno)))
                }
                if got == 0 { break }
                filled += got
            }
        }
        if filled < count { bytes.removeLast(count - filled) }
        return bytes
    }

    /// Exactly `count` bytes from `offset`.
    ///
    /// - Throws: ``ProbeFailure/truncated(_:)`` when the file ends first.
    public func readExactly(at offset: Int64, count: Int, what: String) throws -> [UInt8] {
        let bytes = try read(at: offset, count: count)
        guard bytes.count == count else {
            throw ProbeFailure.truncated("\(what) at byte \(offset) needs \(count) bytes; the file ends first")
        }
        return bytes
    }
}

/// Why a probe could not read a file. Becomes the ``MediaInfo/reason`` of an `unreadable` answer.
public enum ProbeFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file could not be opened.
    case cannotOpen(String)
    /// Reading failed.
    case ioError(String)
    /// A structure runs past the end of the file.
    case truncated(String)
    /// A structure contradicts itself (a size smaller than its header, a loop of boxes, an absurd size).
    case malformed(String)
    /// The probe needed to read more than its budget.
    case readBudgetExceeded(Int64)

    /// The text shown in messages and logs.
    public var description: String {
        switch self {
        case .cannotOpen(let text): return "cannot open: \(text)"
        case .ioError(let text): return "read error: \(text)"
        case .truncated(let text): return "truncated: \(text)"
        case .malformed(let text): return "malformed: \(text)"
        case .readBudgetExceeded(let budget): return "would need to read more than \(budget) bytes"
        }
    }
}
