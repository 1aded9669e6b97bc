import Foundation

/// Concatenates the stored parts of a multipart upload into one file, a chunk at a time: no part is ever
/// held in memory whole, and the task yields between chunks so a large file does not hold a thread of the
/// server's pool for long.
enum V2PartAssembler {
    /// How much is read at a time.
    static let chunkSize = 1 << 20

    /// Appends the parts, in the order given, to `writer` (which hashes what it writes).
    ///
    /// - Throws: ``SandboxError`` when a part cannot be read or is not the size recorded for it.
    static func append(_ parts: [V2UploadRegistry.Part], to writer: StoredFileWriter) async throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        for part in parts {
            let descriptor = open(part.path, O_RDONLY)
            guard descriptor >= 0 else {
                throw SandboxError(
                    .internalError, "cannot read the part \(part.path): \(String(cString: strerror(errno)))")
            }
            defer { close(descriptor) }
            var copied: Int64 = 0
            while true {
                let count = read(descriptor, buffer.baseAddress, chunkSize)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw SandboxError(
                        .internalError, "cannot read the part \(part.path): \(String(cString: strerror(errno)))")
                }
                if count == 0 { break }
                try writer.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                copied += Int64(count)
                await Task.yield()
            }
            guard copied == part.size else {
                throw SandboxError(.internalError, "the part \(part.path) holds \(copied) bytes, not \(part.size)")
            }
        }
    }
}
