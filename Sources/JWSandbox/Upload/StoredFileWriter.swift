import Crypto
import Foundation
import JWPlatform

/// Writes an arriving file to disk while computing its MD5 and counting its bytes: one pass, nothing
/// held in memory beyond the chunk being written.
final class StoredFileWriter {
    let url: URL
    private let descriptor: Int32
    private var md5 = Insecure.MD5()
    private(set) var size: Int64 = 0

    /// Creates (or truncates) the file at `url`.
    init(url: URL) throws {
        self.url = url
        descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw SandboxError(.internalError, "sandbox: cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Appends `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        md5.update(bufferPointer: bytes)
        var offset = 0
        while offset < bytes.count {
            let written = Self.systemWrite(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw SandboxError(.fileUploadFailed, "file: cannot store (\(String(cString: strerror(errno))))")
            }
            offset += written
        }
        size += Int64(bytes.count)
    }

    /// `write(2)`, named apart from this type's own `write(_:)`.
    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            return Glibc.write(descriptor, bytes, count)
        #else
            return Darwin.write(descriptor, bytes, count)
        #endif
    }

    /// The MD5 of everything written, lower-case hex.
    func finish() -> String {
        Hex.encode(md5.finalize())
    }

    /// Removes the file (an upload that failed half-way).
    func discard() { try? FileManager.default.removeItem(at: url) }
}
