import Crypto
import Foundation

/// The MD5 and size of a file, as computed while it was sent.
public struct FileDigest: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The MD5, lower-case hex.
    public var md5: String
    /// The size in bytes.
    public var size: Int64

    /// Creates a digest.
    public init(md5: String, size: Int64) {
        self.md5 = md5
        self.size = size
    }

    /// `md5/size`, for messages.
    public var description: String { "md5 \(md5), \(size) bytes" }
}

/// Feeds bytes to an MD5 and counts them, as they pass on their way to the network: the one pass over a
/// file that both sends and verifies it.
///
/// `@unchecked Sendable`: the HTTP client pulls the body on its own task while the uploader reads the
/// result after the answer; every access holds `lock`.
final class RunningDigest: @unchecked Sendable {
    private let lock = NSLock()
    private var md5 = Insecure.MD5()
    private var count: Int64 = 0

    /// Adds `bytes` and returns the count so far.
    func update(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        md5.update(bufferPointer: bytes)
        count += Int64(bytes.count)
        return count
    }

    /// The digest of everything added.
    func finish() -> FileDigest {
        lock.lock()
        defer { lock.unlock() }
        let hex = md5.finalize().withUnsafeBytes(Hex.encode)
        return FileDigest(md5: hex, size: count)
    }
}

extension FileDigest {
    /// The MD5 and size of a byte range of a file, read once in chunks (never whole into memory).
    ///
    /// - Throws: ``FileReadError`` when the range cannot be read whole.
    public static func md5(of range: FileRange) async throws -> FileDigest {
        let digest = RunningDigest()
        let chunks = FileChunks(
            path: range.file.path, expectedSize: range.length, chunkSize: 1 << 20, digest: digest, progress: { _ in },
            start: range.offset, checksEnd: range.offset + range.length >= range.fileSize)
        for try await _ in chunks {}
        return digest.finish()
    }
}
