import Foundation
import JWPlatform
import NIOCore

/// Writes an arriving file to disk while computing its MD5 and counting its bytes: one pass, the MD5 on a
/// queue of its own (``BackgroundMD5``) so that hashing and writing overlap, and nothing held in memory
/// beyond the few buffers the hash has not reached yet (at most ``BackgroundMD5/defaultBound`` bytes).
///
/// One task writes at a time, in order: ``write(_:)``, then ``finish()`` for the digest, or ``discard()``.
final class StoredFileWriter {
    /// Where the file is written.
    let url: URL
    private let descriptor: Int32
    private let md5 = BackgroundMD5()
    /// The bytes written so far.
    private(set) var size: Int64 = 0

    /// Creates (or truncates) the file at `url`.
    ///
    /// - Throws: ``SandboxError`` `InternalError` when the file cannot be created.
    init(url: URL) throws {
        self.url = url
        descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw SandboxError(.internalError, "sandbox: cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Appends `buffer`'s readable bytes: hands the buffer to the hash (no copy), then writes it with
    /// `write(2)` while it is hashed.
    ///
    /// - Throws: ``SandboxError`` `FileUploadFailed` when the disk refuses the bytes.
    func write(_ buffer: ByteBuffer) async throws {
        let count = buffer.readableBytes
        guard count > 0 else { return }
        await md5.update(buffer)
        try buffer.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < count {
                let written = Self.systemWrite(descriptor, bytes.baseAddress! + offset, count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SandboxError(.fileUploadFailed, "file: cannot store (\(String(cString: strerror(errno))))")
                }
                offset += written
            }
        }
        size += Int64(count)
    }

    /// `write(2)`, named apart from this type's own `write(_:)`.
    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            return Glibc.write(descriptor, bytes, count)
        #else
            return Darwin.write(descriptor, bytes, count)
        #endif
    }

    /// The MD5 of everything written, in order, lower-case hex (once the hash has caught up).
    func finish() async -> String {
        await md5.finish()
    }

    /// Removes the file (an upload that failed half-way).
    func discard() { try? FileManager.default.removeItem(at: url) }
}
