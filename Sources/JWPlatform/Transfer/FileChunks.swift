import Foundation
import NIOCore

/// The bytes of a file as an `AsyncSequence` of `ByteBuffer` chunks, read one chunk at a time with
/// `pread(2)` as the consumer asks for them: memory stays at one chunk whatever the file size.
///
/// Each chunk passes through a ``RunningDigest`` and the progress handler before it is handed on. A part
/// of a file (a multipart upload's part) is `expectedSize` bytes from `start`; only a range that reaches
/// the file's end (`checksEnd`) also proves that the file did not grow.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let path: String
    let expectedSize: Int64
    let chunkSize: Int
    let digest: RunningDigest
    let progress: @Sendable (Int64) -> Void
    var start: Int64 = 0
    var checksEnd = true

    func makeAsyncIterator() -> Iterator {
        Iterator(source: self)
    }

    /// Reads the next chunk; opens the file on the first call and closes it at the end.
    struct Iterator: AsyncIteratorProtocol {
        let source: FileChunks
        var file: OpenFile?
        var offset: Int64 = 0
        var finished = false

        init(source: FileChunks) { self.source = source }

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            try Task.checkCancellation()
            if file == nil { file = try OpenFile(path: source.path) }
            guard let descriptor = file?.descriptor else { return nil }
            let wanted = Int(Swift.min(Int64(source.chunkSize), Swift.max(0, source.expectedSize - offset)))
            guard wanted > 0 else {
                if source.checksEnd {
                    try ensureEnd(descriptor)
                } else {
                    file = nil
                    finished = true
                }
                return nil
            }
            // The process's --bwlimit, if any, paces reading (and so sending).
            try await TransferBandwidth.shared.take(wanted)
            var buffer = ByteBufferAllocator().buffer(capacity: wanted)
            let (fd, position) = (descriptor, source.start + offset)
            var failure: Int32 = 0
            let read = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { pointer in
                let count = pread(fd, pointer.baseAddress, wanted, off_t(position))
                if count < 0 { failure = errno }
                return Swift.max(count, 0)
            }
            guard read > 0 else {
                file = nil
                finished = true
                let reason = failure != 0 ? String(cString: strerror(failure)) : "the file ended early"
                throw FileReadError(
                    path: source.path,
                    reason:
                        "\(reason) at byte \(source.start + offset) of \(source.start + source.expectedSize): it changed while being sent"
                )
            }
            offset += Int64(read)
            let sent = buffer.withUnsafeReadableBytes { source.digest.update($0) }
            source.progress(sent)
            return buffer
        }

        /// At the announced size: the file must end here, or it grew while it was being sent.
        private mutating func ensureEnd(_ descriptor: Int32) throws {
            var probe: UInt8 = 0
            let extra = pread(descriptor, &probe, 1, off_t(source.start + offset))
            file = nil
            finished = true
            if extra > 0 {
                throw FileReadError(
                    path: source.path,
                    reason: "it grew past the \(source.expectedSize) bytes announced while being sent")
            }
        }
    }
}

/// An open file descriptor, closed when the last reference goes: an upload abandoned half-way (a
/// dropped connection, a cancelled task) leaks nothing. Only a regular file is opened: a FIFO or a device
/// is refused at once, without blocking.
final class OpenFile {
    let descriptor: Int32

    init(path: String) throws {
        do {
            descriptor = try FileStatus.openRegularFile(path)
        } catch let error as FileStatusError {
            throw FileReadError(path: path, reason: error.reason)
        }
    }

    deinit { close(descriptor) }
}

/// A file could not be read while it was being sent.
public struct FileReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// What went wrong.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// The text shown in messages and logs.
    public var description: String { "cannot read \(path): \(reason)" }
}
