import Foundation

/// The journal's files are private to their owner: they hold live upload links, which are secrets.
enum JournalFiles {
    /// Makes the journal's folder when it is missing, with mode `0700`; the default folder `.jwingest`
    /// is made `0700` even when it exists (a first-wave journal's folder was `0755`).
    static func preparePrivateFolder(for journal: URL) throws {
        let folder = journal.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: folder.path) {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } else if folder.lastPathComponent == ".jwingest" {
            try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder.path)
        }
        if !FileManager.default.fileExists(atPath: journal.path) {
            // Made 0600 before SQLite opens it: SQLite gives its -wal and -shm files the same mode.
            _ = FileManager.default.createFile(
                atPath: journal.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
    }

    /// Sets mode `0600` on the journal and its companions (`-wal`, `-shm`, `.lock`) that exist.
    static func makePrivate(_ journal: URL) {
        for suffix in ["", "-wal", "-shm", ".lock"] where FileManager.default.fileExists(atPath: journal.path + suffix)
        {
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: journal.path + suffix)
        }
    }
}
