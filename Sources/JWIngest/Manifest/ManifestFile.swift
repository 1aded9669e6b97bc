import Foundation
import JWPlatform

/// Reading a manifest file as a hostile one could be: only a regular file (a FIFO would block the read,
/// a device would never end), and at most ``limit`` bytes, refused before any byte is read.
enum ManifestFile {
    /// The largest manifest: 64 MiB holds several hundred thousand items.
    static let limit: Int64 = 64 << 20

    /// Why a manifest file cannot be read.
    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    /// The bytes of the manifest at `url`.
    ///
    /// - Throws: ``Refusal`` when it is missing, unreadable, not a regular file or over ``limit``.
    static func read(_ url: URL) throws -> Data {
        let descriptor: Int32
        do {
            descriptor = try FileStatus.openRegularFile(url.path)
        } catch let error as FileStatusError {
            throw Refusal(description: "cannot read the manifest: it \(error.reason)")
        }
        defer { close(descriptor) }
        let size = (try? FileStatus(descriptor: descriptor, path: url.path))?.size ?? 0
        guard size <= limit else {
            throw Refusal(
                description: "the manifest is \(TerminalProgress.bytes(size)), over the 64 MiB a manifest may be; "
                    + "split it into several manifests")
        }
        var data = Data(count: Int(size))
        var offset = 0
        while offset < data.count {
            let count = data.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + offset, buffer.count - offset, off_t(offset))
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                throw Refusal(
                    description:
                        "cannot read the manifest: \(count < 0 ? String(cString: strerror(errno)) : "it shrank while being read")"
                )
            }
            offset += count
        }
        return data
    }
}
