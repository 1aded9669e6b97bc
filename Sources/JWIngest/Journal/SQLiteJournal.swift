import Foundation
import GRDB
import JWPlatform

/// The durable record of a manifest's ingest, on SQLite in WAL mode: each item's state after every stage
/// (and before a create is sent), written in its own transaction before the next network call. It
/// survives `kill -9` at any instant: a write is whole or absent. A re-run reads it to skip what is done
/// and resume the rest.
///
/// By default it lives at `.jwingest/journal.sqlite` beside the manifest; one journal may hold several
/// manifests, each under its key (the manifest's absolute path, the account key and the endpoint).
///
/// The journal holds live upload links: its folder is made `0700` and its files `0600`. A write asked to
/// survive a power cut (every write a stage asks for, such as the row that says "create sent") is durable
/// when it returns (`synchronous=FULL`); the runner's own writes between stages and at the end survive a
/// crash of the process and are made durable by the next such write (see ``JournalDurability``). Those
/// writes of a small item, which runs on the HTTP client's event loop, are committed on that thread when
/// no other commit is under way; they never wait for the disk, since the journal's own committer thread
/// runs the log's checkpoints (SQLite's automatic ones are off).
public final class SQLiteJournal: IngestJournaling {
    /// The database file.
    public let path: URL

    /// The database file's path.
    public var location: String { path.path }
    /// The key of the rows of this manifest (see ``key(manifest:account:endpoint:)``).
    public let manifest: String
    private let database: DatabasePool
    private let commits: JournalGroupCommit

    /// `.jwingest/journal.sqlite` in the manifest's folder.
    public static func defaultPath(for manifest: URL) -> URL {
        manifest.deletingLastPathComponent().appendingPathComponent(".jwingest").appendingPathComponent(
            "journal.sqlite")
    }

    /// The key of a manifest's rows: its absolute path (symlinks resolved), the account key and the
    /// endpoint (a password written in it redacted), so that two manifests of the same name in different
    /// folders, or one manifest run against staging and production, never share rows.
    public static func key(manifest: URL, account: String, endpoint: String) -> String {
        let path = manifest.standardizedFileURL.resolvingSymlinksInPath().path
        return "\(path) \(account)@\(Redaction.redact(url: endpoint))"
    }

    /// The key the first wave used: the manifest's file name only.
    static func firstWaveKey(manifest: URL, account: String, endpoint: String) -> String {
        "\(manifest.lastPathComponent) \(account)@\(endpoint)"
    }

    /// Opens (or creates) the journal at `path` for `manifest` run with `account` against `endpoint`.
    /// Rows a journal of the first wave kept under the manifest's file name are moved to the new key.
    ///
    /// - Throws: ``JournalError`` when the folder cannot be made or the file is not a journal.
    public convenience init(path: URL, manifest: URL, account: String, endpoint: String) throws {
        try self.init(path: path, manifest: Self.key(manifest: manifest, account: account, endpoint: endpoint))
        try adopt(rowsOf: Self.firstWaveKey(manifest: manifest, account: account, endpoint: endpoint))
    }

    /// Opens (or creates) the journal at `path` for the rows keyed `manifest`.
    ///
    /// - Throws: ``JournalError`` when the folder cannot be made or the file is not a journal.
    public init(path: URL, manifest: String) throws {
        self.path = path
        self.manifest = manifest
        do {
            try JournalFiles.preparePrivateFolder(for: path)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            // Every connection writes with FULL: GRDB's pool sets NORMAL on its writer after opening it, so
            // the writer is set again below.
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            database = try DatabasePool(path: path.path, configuration: configuration)
            try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            JournalFiles.makePrivate(path)
            commits = try JournalGroupCommit(database: database, upsert: Self.upsert)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.execute(
                    sql: """
                        CREATE TABLE item (
                            manifest TEXT NOT NULL,
                            item_id TEXT NOT NULL,
                            status TEXT NOT NULL,
                            file_fingerprint TEXT NOT NULL,
                            metadata_fingerprint TEXT NOT NULL,
                            media_key TEXT,
                            state TEXT NOT NULL,
                            last_error TEXT,
                            updated_at DOUBLE NOT NULL,
                            PRIMARY KEY (manifest, item_id)
                        )
                        """)
            }
            try migrator.migrate(database)
        } catch {
            throw JournalError(path: path.path, reason: "cannot open: \(error)")
        }
    }

    /// The `synchronous` setting of the connection that writes (2 is `FULL`).
    ///
    /// - Throws: ``JournalError`` when the journal cannot be read.
    public func synchronousSetting() async throws -> Int {
        do {
            return try await database.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            }
        } catch {
            throw JournalError(path: path.path, reason: "cannot read its settings: \(error)")
        }
    }

    /// Moves the rows kept under `oldKey` to this manifest's key, when it has none of its own yet.
    private func adopt(rowsOf oldKey: String) throws {
        guard oldKey != manifest else { return }
        do {
            try database.write { db in
                let own = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM item WHERE manifest = ?", arguments: [manifest])
                guard own == 0 else { return }
                try db.execute(sql: "UPDATE item SET manifest = ? WHERE manifest = ?", arguments: [manifest, oldKey])
            }
        } catch {
            throw JournalError(
                path: path.path, reason: "cannot move the rows of a journal of an earlier version: \(error)")
        }
    }

    /// Takes the journal for one run: an exclusive lock on `<journal>.lock` (see ``JournalLock``).
    public func claim() async throws -> any JournalClaim {
        try JournalLock(journal: path)
    }

    /// The keys of the assets this journal records for other manifests than this one.
    ///
    /// - Throws: ``JournalError`` when the journal cannot be read.
    public func mediaKeysOfOtherManifests() async throws -> Set<String> {
        do {
            return try await database.read { db in
                Set(
                    try String.fetchAll(
                        db, sql: "SELECT media_key FROM item WHERE manifest != ? AND media_key IS NOT NULL",
                        arguments: [manifest]))
            }
        } catch {
            throw JournalError(path: path.path, reason: "cannot read: \(error)")
        }
    }

    /// Every entry of this manifest, by item id.
    ///
    /// - Throws: ``JournalError`` when the journal cannot be read.
    public func entries() async throws -> [String: JournalEntry] {
        do {
            return try await database.read { db in
                var entries: [String: JournalEntry] = [:]
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT item_id, status, file_fingerprint, metadata_fingerprint, media_key, state, last_error,
                               updated_at
                        FROM item WHERE manifest = ?
                        """, arguments: [manifest])
                while let row = try rows.next() {
                    let id: String = row[0]
                    let stateText: String = row[5]
                    entries[id] = JournalEntry(
                        itemID: id, status: JournalEntry.Status(rawValue: row[1]),
                        fingerprint: ItemFingerprint(file: row[2], metadata: row[3]), mediaKey: row[4],
                        encodedState: Data(stateText.utf8), lastError: row[6],
                        updatedAt: Date(timeIntervalSince1970: row[7]))
                }
                return entries
            }
        } catch {
            throw JournalError(path: path.path, reason: "cannot read: \(error)")
        }
    }

    /// Writes an item's state, in one transaction, before the caller goes on; durable on a power cut.
    ///
    /// - Throws: ``JournalError`` (a full disk, say): the caller must not go on to the network.
    public func record(
        _ state: ItemState, status: JournalEntry.Status, fingerprint: ItemFingerprint, error: String? = nil
    ) async throws {
        try await record(state, status: status, fingerprint: fingerprint, error: error, durability: .powerCut)
    }

    /// Writes an item's state, in one transaction, before the caller goes on, as durable as `durability`
    /// asks: with `synchronous=FULL` for ``JournalDurability/powerCut``, else `NORMAL` (safe from a crash of
    /// the process; made durable by the next `FULL` commit).
    ///
    /// - Throws: ``JournalError`` (a full disk, say): the caller must not go on to the network.
    public func record(
        _ state: ItemState, status: JournalEntry.Status, fingerprint: ItemFingerprint, error: String?,
        durability: JournalDurability
    ) async throws {
        do {
            let row = JournalGroupCommit.Row(
                manifest: manifest, itemID: state.itemID, status: status.rawValue, fileFingerprint: fingerprint.file,
                metadataFingerprint: fingerprint.metadata, mediaKey: state.mediaKey, state: try state.journalJSON(),
                lastError: error, updatedAt: Date().timeIntervalSince1970, survivesPowerCut: durability == .powerCut)
            // Rows of items written at the same instant share a transaction; each returns once written. A
            // process-crash row of a small item, which runs on the HTTP client's loop, may be committed right
            // there (no fsync; like that item's small file reads): no hand-over to the committer and back.
            try await commits.write(
                row, onCaller: durability == .processCrash && JWPlatformHTTPClient.taskExecutor.isCurrent)
        } catch {
            throw JournalError(path: path.path, reason: "cannot write item '\(state.itemID)': \(error)")
        }
    }

    /// How many of this journal's transactions were committed with `synchronous=FULL`, for tests.
    var powerCutCommits: Int { commits.powerCutCommits }

    /// How many rows were committed on their caller's thread, for tests.
    var callerCommits: Int { commits.callerCommits }

    /// How many checkpoints of the write-ahead log the committer ran, for tests.
    var checkpoints: Int { commits.checkpoints }

    private static let upsert = """
        INSERT INTO item (manifest, item_id, status, file_fingerprint, metadata_fingerprint, media_key,
                          state, last_error, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (manifest, item_id) DO UPDATE SET
            status = excluded.status, file_fingerprint = excluded.file_fingerprint,
            metadata_fingerprint = excluded.metadata_fingerprint, media_key = excluded.media_key,
            state = excluded.state, last_error = excluded.last_error, updated_at = excluded.updated_at
        """
}

/// The journal cannot be opened, read or written.
public struct JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The journal file.
    public var path: String
    /// What went wrong.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// The text shown in messages and logs.
    public var description: String { "journal \(path): \(reason)" }
}
