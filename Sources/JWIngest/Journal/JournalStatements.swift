import GRDB
import GRDBSQLite

/// The statements of a journal write, prepared once on the writer connection and run through SQLite's own
/// interface: `PRAGMA synchronous`, `BEGIN IMMEDIATE`, the row's upsert and `COMMIT`.
///
/// GRDB's statement cache, argument checks and transaction bookkeeping cost about 6 % of a small item's CPU,
/// more than SQLite's own work for these four statements (`perf`, issue 14). GRDB still owns the connection:
/// every use happens inside its `writeWithoutTransaction`, which serializes them, and a transaction is never
/// left open across its calls. A schema changed by another connection makes SQLite prepare a statement anew
/// by itself. The statements are finalized when this object goes; GRDB closes a pool it releases with
/// `sqlite3_close_v2`, which waits for them, but its explicit `close()` would refuse: finalize first
/// (nothing closes a journal's pool today).
final class JournalStatements: @unchecked Sendable {
    /// What SQLite said when a statement failed.
    struct Failure: Error, CustomStringConvertible {
        var code: Int32
        var message: String
        var statement: String

        var description: String { "SQLite error \(code) in \(statement): \(message)" }
    }

    /// The statements, in the order of ``sql``.
    private enum Slot: Int, CaseIterable {
        case synchronousFull, synchronousNormal, begin, upsert, commit, rollback
    }

    private let sql: [String]
    /// Prepared on first use, on the connection they belong to (GRDB keeps one writer connection).
    private var prepared: [OpaquePointer?]
    private var connection: OpaquePointer?
    /// Whether `connection` is known to be at `synchronous=FULL`: set only after a `PRAGMA synchronous =
    /// FULL` of this object succeeded, and cleared before any other.
    private var isAtFull = false

    /// Statements for the upsert `upsertSQL`, whose nine arguments are ``JournalGroupCommit/Row``'s.
    init(upsert upsertSQL: String) {
        sql = Slot.allCases.map { slot in
            switch slot {
            case .synchronousFull: "PRAGMA synchronous = FULL"
            case .synchronousNormal: "PRAGMA synchronous = NORMAL"
            case .begin: "BEGIN IMMEDIATE"
            case .upsert: upsertSQL
            case .commit: "COMMIT"
            case .rollback: "ROLLBACK"
            }
        }
        prepared = Array(repeating: nil, count: Slot.allCases.count)
    }

    deinit { finalizeAll() }

    /// Writes `rows` in one transaction on `db`'s connection, with `synchronous=FULL` when `powerCut`,
    /// else `NORMAL`; the connection is left at `FULL`, outside any transaction.
    ///
    /// - Throws: ``Failure`` with SQLite's message; the transaction is then rolled back.
    func write(_ rows: [JournalGroupCommit.Row], powerCut: Bool, on db: Database) throws {
        guard let handle = db.sqliteConnection else {
            throw Failure(code: SQLITE_MISUSE, message: "the connection is closed", statement: "write")
        }
        if handle != connection {
            finalizeAll()
            connection = handle
            isAtFull = false
        }
        // A `PRAGMA synchronous` takes effect when SQLite prepares it, so each run of one parses and compiles
        // it again (`perf`: 5 of them an item, issue 14). FULL is set only when the connection is not known
        // to be at FULL already; a connection left at NORMAL by a failed reset is not known to be, so it
        // cannot weaken a power-cut write.
        if !powerCut || !isAtFull {
            isAtFull = false
            try run(powerCut ? .synchronousFull : .synchronousNormal, on: handle)
            isAtFull = powerCut
        }
        defer { if !powerCut { isAtFull = (try? run(.synchronousFull, on: handle)) != nil } }
        try run(.begin, on: handle)
        do {
            for row in rows { try upsert(row, on: handle) }
            try run(.commit, on: handle)
        } catch {
            if sqlite3_get_autocommit(handle) == 0 { try? run(.rollback, on: handle) }
            throw error
        }
    }

    private func upsert(_ row: JournalGroupCommit.Row, on handle: OpaquePointer) throws {
        let statement = try self.statement(.upsert, on: handle)
        defer { sqlite3_clear_bindings(statement) }
        // A value SQLite could not take (out of memory, too big) must not be written as NULL.
        var code = SQLITE_OK
        func check(_ result: Int32) { if code == SQLITE_OK { code = result } }
        check(bind(row.manifest, at: 1, in: statement))
        check(bind(row.itemID, at: 2, in: statement))
        check(bind(row.status, at: 3, in: statement))
        check(bind(row.fileFingerprint, at: 4, in: statement))
        check(bind(row.metadataFingerprint, at: 5, in: statement))
        check(bind(row.mediaKey, at: 6, in: statement))
        check(bind(row.state, at: 7, in: statement))
        check(bind(row.lastError, at: 8, in: statement))
        check(sqlite3_bind_double(statement, 9, row.updatedAt))
        guard code == SQLITE_OK else {
            throw Failure(
                code: code, message: String(cString: sqlite3_errstr(code)), statement: sql[Slot.upsert.rawValue])
        }
        try step(statement, .upsert, on: handle)
    }

    private func run(_ slot: Slot, on handle: OpaquePointer) throws {
        try step(try statement(slot, on: handle), slot, on: handle)
    }

    private func step(_ statement: OpaquePointer, _ slot: Slot, on handle: OpaquePointer) throws {
        let code = sqlite3_step(statement)
        // The message is read before the reset, which may set another.
        let message = code == SQLITE_DONE || code == SQLITE_ROW ? nil : String(cString: sqlite3_errmsg(handle))
        sqlite3_reset(statement)
        if let message { throw Failure(code: code, message: message, statement: sql[slot.rawValue]) }
    }

    private func statement(_ slot: Slot, on handle: OpaquePointer) throws -> OpaquePointer {
        if let statement = prepared[slot.rawValue] { return statement }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(
            handle, sql[slot.rawValue], -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw Failure(
                code: code, message: String(cString: sqlite3_errmsg(handle)), statement: sql[slot.rawValue])
        }
        prepared[slot.rawValue] = statement
        return statement
    }

    /// Binds `text` (or NULL) as UTF-8, copied by SQLite; an empty text stays an empty text, not NULL.
    /// Returns SQLite's result code.
    private func bind(_ text: String?, at index: Int32, in statement: OpaquePointer) -> Int32 {
        guard var text else { return sqlite3_bind_null(statement, index) }
        return text.withUTF8 { bytes in
            guard let start = bytes.baseAddress, !bytes.isEmpty else {
                return sqlite3_bind_text(statement, index, "", 0, Self.transient)
            }
            return sqlite3_bind_text(
                statement, index, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), Int32(bytes.count),
                Self.transient)
        }
    }

    /// SQLite's `SQLITE_TRANSIENT`: copy the bytes before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    private func finalizeAll() {
        for case let statement? in prepared { sqlite3_finalize(statement) }
        prepared = Array(repeating: nil, count: Slot.allCases.count)
    }
}
