import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file's identity on this machine: device and inode. Folders are told apart by it so that a symlink
/// loop is walked once.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// The identity of `path` (symlinks followed), if it exists.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }
}

/// One entry of a folder, symlinks followed.
struct DirectoryEntry {
    enum Kind: Equatable {
        /// A regular file (or a symlink to one).
        case file
        /// A folder (or a symlink to one).
        case folder
        /// A FIFO, socket or device: never opened.
        case other
        /// A symlink that leads nowhere.
        case brokenSymlink
        /// `stat` failed for another reason.
        case unreadable
    }

    /// The name; invalid UTF-8 is shown with replacement characters (and ``isUTF8`` is false).
    var name: String
    var isUTF8: Bool
    var kind: Kind
    var size: Int64
    var identity: FileIdentity?
}

/// Lists one folder at a time, sorted by the bytes of the names, so that every scan of the same tree
/// walks it in the same order. Only this one listing is in memory.
enum DirectoryListing {
    /// The entries of the folder at `path`, `.` and `..` left out.
    ///
    /// - Throws: The `errno` text when the folder cannot be opened.
    static func entries(of path: String) throws -> [DirectoryEntry] {
        guard let directory = opendir(path) else { throw ListingError(reason: String(cString: strerror(errno))) }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] || bytes.isEmpty { continue }
            names.append(bytes)
        }
        names.sort { $0.lexicographicallyPrecedes($1) }
        let prefix = path.hasSuffix("/") ? path : path + "/"
        return names.map { bytes in
            let valid = String(validating: bytes, as: UTF8.self)
            let name = valid ?? String(decoding: bytes, as: UTF8.self)
            var entry = DirectoryEntry(name: name, isUTF8: valid != nil, kind: .unreadable, size: 0, identity: nil)
            let full = Array(prefix.utf8) + bytes + [0]
            var info = stat()
            let found = full.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { stat($0, &info) }
            }
            guard found == 0 else {
                let code = errno
                var link = stat()
                let isLink = full.withUnsafeBufferPointer { buffer in
                    buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { lstat($0, &link) }
                }
                entry.kind =
                    isLink == 0 && (link.st_mode & S_IFMT) == S_IFLNK && (code == ENOENT || code == ELOOP)
                    ? .brokenSymlink : .unreadable
                return entry
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG: entry.kind = .file
            case S_IFDIR: entry.kind = .folder
            default: entry.kind = .other
            }
            entry.size = Int64(info.st_size)
            entry.identity = FileIdentity(info)
            return entry
        }
    }

    struct ListingError: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }
}
