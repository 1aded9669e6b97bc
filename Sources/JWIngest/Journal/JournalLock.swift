import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run per journal at a time: an exclusive `flock(2)` on `<journal>.lock`, held while the lock
/// lives and released by the kernel when the process ends in any way (even `kill -9`). The file says
/// which process holds it (pid and host), so that a second run can name it.
///
/// Two runs on one journal would both create every item, and one could replace the other's video in the
/// middle of its upload; a second run therefore stops at once. The lock is local to a machine (and to
/// file systems whose `flock` is real: not every network file system's is).
public final class JournalLock: JournalClaim {
    /// The lock file.
    public let path: URL
    private let descriptor: Int32

    /// Takes the lock of the journal at `journal`, without waiting.
    ///
    /// - Throws: ``JournalLockedError`` naming the holder when another process holds it;
    ///   ``JournalError`` when the lock file cannot be made.
    public init(journal: URL) throws {
        path = URL(fileURLWithPath: journal.path + ".lock")
        let descriptor = open(path.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw JournalError(
                path: journal.path, reason: "cannot make its lock file: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.holder(descriptor)
            close(descriptor)
            throw JournalLockedError(journal: journal.path, holder: holder)
        }
        self.descriptor = descriptor
        let text = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName)\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit { close(descriptor) }

    /// Releases the lock now (the kernel also releases it when the process ends).
    public func release() async { _ = flock(descriptor, LOCK_UN) }

    /// What the holder wrote: `pid N on HOST`.
    private static func holder(_ descriptor: Int32) -> String {
        var bytes = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &bytes, bytes.count, 0)
        let text = String(decoding: bytes.prefix(max(0, count)), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "another process (it has not written its pid yet)" : text
    }
}

/// Another run holds the journal's lock.
public struct JournalLockedError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The journal.
    public var journal: String
    /// Who holds it: `pid N on HOST`.
    public var holder: String

    /// The text shown in messages and logs.
    public var description: String {
        "journal \(journal) is in use by another jwingest run (\(holder)); wait for it to end or stop it, "
            + "then run again (one run per journal at a time)"
    }
}
