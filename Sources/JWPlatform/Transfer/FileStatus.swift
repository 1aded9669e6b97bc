import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `stat(2)` says of a path, symlinks followed: what kind of file it is, its size and modification
/// time, and where a symlink to something else than a regular file leads. Media, thumbnails, tracks and
/// manifests must be regular files: a FIFO or a device would block a reader or never end.
public struct FileStatus: Sendable, Hashable {
    /// The kind of file at the end of the path.
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        case regular, directory, fifo, characterDevice, blockDevice, socket, other

        /// `a FIFO`, `a character device`, … for messages.
        public var description: String {
            switch self {
            case .regular: return "a regular file"
            case .directory: return "a directory"
            case .fifo: return "a FIFO"
            case .characterDevice: return "a character device"
            case .blockDevice: return "a block device"
            case .socket: return "a socket"
            case .other: return "not a regular file"
            }
        }

        init(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFREG: self = .regular
            case S_IFDIR: self = .directory
            case S_IFIFO: self = .fifo
            case S_IFCHR: self = .characterDevice
            case S_IFBLK: self = .blockDevice
            case S_IFSOCK: self = .socket
            default: self = .other
            }
        }
    }

    /// The kind of file.
    public var kind: Kind
    /// The size in bytes.
    public var size: Int64
    /// The last modification.
    public var modified: Date
    /// Where the path leads when it is a symlink to something that is not a regular file (resolved to the
    /// end), for ``refusal``; else `nil`. A symlink to a regular file needs no naming, and is not looked at.
    public var symlinkTarget: String?

    /// Whether it is a regular file.
    public var isRegular: Bool { kind == .regular }

    /// The status of `path`, following symlinks.
    ///
    /// - Throws: ``FileStatusError`` when the path (or a symlink's target) does not exist or cannot be read.
    public init(path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw FileStatusError(path: path, errno: errno)
        }
        self.init(info)
        // The link itself matters only to name it in a refusal: a regular file costs one system call.
        guard !isRegular else { return }
        var link = stat()
        if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
            symlinkTarget = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        }
    }

    /// The size of what `path` names, symlinks followed, from one `stat` (no look at the link itself): nil when
    /// it cannot be looked at.
    public static func size(ofPath path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    /// The status of an open descriptor.
    ///
    /// - Throws: ``FileStatusError`` when `fstat` fails.
    public init(descriptor: Int32, path: String) throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw FileStatusError(path: path, errno: errno) }
        self.init(info)
    }

    private init(_ info: stat) {
        kind = Kind(mode: info.st_mode)
        size = Int64(info.st_size)
        #if canImport(Darwin)
            let time = info.st_mtimespec
        #else
            let time = info.st_mtim
        #endif
        modified = Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
        symlinkTarget = nil
    }

    /// `is a FIFO, not a regular file`, naming a symlink's target: the reason a non-regular file is refused.
    public var refusal: String {
        let what = "is \(kind), not a regular file"
        guard let symlinkTarget else { return what }
        return "(a symlink to \(symlinkTarget)) \(what)"
    }

    /// Opens `path` for reading without ever blocking (`O_NONBLOCK`: a FIFO with no writer would block a
    /// plain `open`), and checks that what was opened is a regular file.
    ///
    /// - Returns: The descriptor, which the caller closes.
    /// - Throws: ``FileStatusError`` when it cannot be opened, or is not a regular file.
    public static func openRegularFile(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileStatusError(path: path, errno: errno) }
        do {
            var status = try FileStatus(descriptor: descriptor, path: path)
            guard status.isRegular else {
                if let target = try? FileStatus(path: path).symlinkTarget { status.symlinkTarget = target }
                throw FileStatusError(path: path, reason: status.refusal)
            }
            return descriptor
        } catch {
            close(descriptor)
            throw error
        }
    }
}

/// A path that cannot be used as a file to read: missing, unreadable, or not a regular file.
public struct FileStatusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path.
    public var path: String
    /// Why, e.g. `does not exist` or `is a FIFO, not a regular file`.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(path: String, errno code: Int32) {
        switch code {
        case ENOENT: reason = "does not exist"
        case EACCES: reason = "is not readable (permission denied)"
        default: reason = String(cString: strerror(code))
        }
        self.path = path
    }

    /// The text shown in messages and logs.
    public var description: String { "\(path) \(reason)" }
}
