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

    private let handle: FileHandle

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
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        size = Int64(status.st_size)
        self.readBudget = readBudget
    }

    /// Up to `count` bytes from `offset`; fewer at the end of the file, none past it.
    ///
    /// - Throws: ``ProbeFailure/readBudgetExceeded`` when the probe has read its budget.
    public func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, count > 0, offset < size else { return [] }
        let wanted = Int(min(Int64(count), size - offset))
        guard bytesRead + Int64(wanted) <= readBudget else { throw ProbeFailure.readBudgetExceeded(readBudget) }
        do {
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: wanted) ?? Data()
            bytesRead += Int64(data.count)
            return [UInt8](data)
        } catch {
            throw ProbeFailure.ioError(String(describing: error))
        }
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
