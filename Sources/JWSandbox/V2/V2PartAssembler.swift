import Foundation
import NIOCore

/// Concatenates the stored parts of a multipart upload into one file, a chunk at a time: no part is ever
/// held in memory whole, and the task yields between chunks so a large file does not hold a thread of the
/// server's pool for long.
enum V2PartAssembler {
    /// How much is read at a time.
    static let chunkSize = 1 << 20

    /// Appends the parts, in the order given, to `writer` (which hashes what it writes).
    ///
    /// Each chunk is read into a buffer of its own, which the writer's hash keeps until it has reached it.
    ///
    /// - Throws: ``SandboxError`` when a part cannot be read or is not the size recorded for it.
    static func append(_ parts: [V2UploadRegistry.Part], to writer: StoredFileWriter) async throws {
        let allocator = ByteBufferAllocator()
        for part in parts {
            let descriptor = open(part.path, O_RDONLY)
            guard descriptor >= 0 else {
                throw SandboxError(
                    .internalError, "cannot read the part \(part.path): \(String(cString: strerror(errno)))")
            }
            defer { close(descriptor) }
            var copied: Int64 = 0
            while true {
                var buffer = allocator.buffer(capacity: chunkSize)
                var count = 0
                var failure: Int32 = 0
                buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: chunkSize) { free in
                    count = read(descriptor, free.baseAddress, chunkSize)
                    if count < 0 { failure = errno }
                    return max(count, 0)
                }
                if count < 0 {
                    if failure == EINTR { continue }
                    throw SandboxError(
                        .internalError, "cannot read the part \(part.path): \(String(cString: strerror(failure)))")
                }
                if count == 0 { break }
                try await writer.write(buffer)
                copied += Int64(count)
                await Task.yield()
            }
            guard copied == part.size else {
                throw SandboxError(.internalError, "the part \(part.path) holds \(copied) bytes, not \(part.size)")
            }
        }
    }
}
