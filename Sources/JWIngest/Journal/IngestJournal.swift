import Foundation
import GRDB

/// The durable record of a manifest's ingest, on SQLite in WAL mode: each item's state after every stage
/// (and before a create is sent), written in its own transaction before the next network call. It
/// survives `kill -9` at any instant: a write is whole or absent. A re-run reads it to skip what is done
/// and resume the rest.
///
/// By default it lives at `.jwingest/journal.sqlite` beside the manifest; one journal may hold several
/// manifests of a folder, each under its file name.
public final class IngestJournal: Sendable {
    /// The database file.
    public let path: URL
    /// The manifest this journal's rows belong to (its file name).
    public let manifest: String
    private let database: DatabasePool
    private let encoder = JSONEncoder()

    /// `.jwingest/journal.sqlite` in the manifest's folder.
    public static func defaultPath(for manifest: URL) -> URL {
        manifest.deletingLastPathComponent().appendingPathComponent(".jwingest").appendingPathComponent(
            "journal.sqlite")
    }

    /// Opens (or creates) the journal at `path` for the manifest named `manifest`.
    ///
    /// - Throws: ``JournalError`` when the folder cannot be made or the file is not a journal.
    public init(path: URL, manifest: String) throws {
        self.path = path
        self.manifest = manifest
        do {
            try FileManager.default.createDirectory(
                at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            database = try DatabasePool(path: path.path, configuration: configuration)
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

    /// Every entry of this manifest, by item id.
    ///
    /// - Throws: ``JournalError`` when the journal cannot be read.
    public func entries() throws -> [String: JournalEntry] {
        do {
            return try database.read { db in
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

    /// Writes an item's state, in one transaction, before the caller goes on.
    ///
    /// - Throws: ``JournalError`` (a full disk, say): the caller must not go on to the network.
    public func record(
        _ state: ItemState, status: JournalEntry.Status, fingerprint: ItemFingerprint, error: String? = nil
    ) throws {
        do {
            let stateText = String(decoding: try encoder.encode(state), as: UTF8.self)
            try database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO item (manifest, item_id, status, file_fingerprint, metadata_fingerprint, media_key,
                                          state, last_error, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (manifest, item_id) DO UPDATE SET
                            status = excluded.status, file_fingerprint = excluded.file_fingerprint,
                            metadata_fingerprint = excluded.metadata_fingerprint, media_key = excluded.media_key,
                            state = excluded.state,
                            last_error = excluded.last_error, updated_at = excluded.updated_at
                        """,
                    arguments: [
                        manifest, state.itemID, status.rawValue, fingerprint.file, fingerprint.metadata, state.mediaKey,
                        stateText, error, Date().timeIntervalSince1970,
                    ])
            }
        } catch {
            throw JournalError(path: path.path, reason: "cannot write item '\(state.itemID)': \(error)")
        }
    }
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

    public var description: String { "journal \(path): \(reason)" }
}
