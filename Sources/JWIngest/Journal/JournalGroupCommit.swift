import Dispatch
import GRDB
import Synchronization

/// Writes journal rows with group commit: rows that arrive while a transaction is being made durable wait
/// for it, then go together in the next one, so concurrent items share one `fsync` instead of queueing
/// for one each.
///
/// Each caller still returns only once its own row is durable (`synchronous=FULL`, one transaction), so a
/// checkpoint keeps its meaning: written before the call it protects. With one item in flight nothing
/// changes; with four, `perf` and `strace` showed the journal's `fdatasync`s and the writer queue among the
/// largest per-item costs (issue 14). When a shared transaction fails, each of its rows is tried alone, so
/// that one row's failure is reported to that row's writer only. Every transaction runs through
/// ``JournalStatements``, prepared once.
///
/// A row that need not survive a power cut may be committed on the caller's own thread when nothing else is
/// being committed (``write(_:onCaller:)``): such a commit never calls `fsync`, because SQLite's automatic
/// checkpoints are off and the committer runs them instead, every ``rowsBetweenCheckpoints`` rows. That
/// spares the caller two thread hand-overs per write.
final class JournalGroupCommit: Sendable {
    /// One row of the `item` table, as ``SQLiteJournal`` writes it.
    struct Row: Sendable {
        var manifest: String
        var itemID: String
        var status: String
        var fileFingerprint: String
        var metadataFingerprint: String
        var mediaKey: String?
        var state: String
        var lastError: String?
        var updatedAt: Double
        /// Whether the row must survive a power cut (``JournalDurability/powerCut``), not only a crash.
        var survivesPowerCut = true
    }

    private struct Waiting {
        var row: Row
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct Queue {
        var waiting: [Waiting] = []
        /// Whether a thread is using the connection: the committer, or a caller committing its own row.
        var committing = false
        var rowsSinceCheckpoint = 0

        var checkpointDue: Bool { rowsSinceCheckpoint >= JournalGroupCommit.rowsBetweenCheckpoints }
    }

    /// What the committer does next.
    private enum Work {
        case checkpoint
        case commit([Waiting])
        case stop
    }

    /// How many rows are committed between two checkpoints of the write-ahead log: about 1,000 pages of
    /// log, SQLite's own default, at three to four pages a commit of one row.
    static let rowsBetweenCheckpoints = 300

    private let database: DatabasePool
    private let statements: JournalStatements
    private let queue = Mutex(Queue())
    private let committer = DispatchQueue(label: "jwingest.journal.group-commit")

    /// Commits rows to `database` with the statement `upsert` (its nine arguments in ``Row``'s order), and
    /// turns off SQLite's automatic checkpoints on its writer: the committer runs them.
    ///
    /// - Throws: What GRDB throws for the connection.
    init(database: DatabasePool, upsert: String) throws {
        self.database = database
        statements = JournalStatements(upsert: upsert)
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
    }

    /// Writes `row` and returns once it is as durable as it asks (``Row/survivesPowerCut``).
    ///
    /// The transaction runs on the committer's queue, except when `onCaller` allows the caller's thread, the
    /// row need not survive a power cut, and no other transaction or checkpoint is under way: the caller then
    /// commits it itself, with no `fsync`, in some tens of microseconds. Allow it only from a thread where
    /// such a short blocking write is acceptable, never from the cooperative pool, which has as many threads
    /// as cores (STYLE.md).
    ///
    /// - Throws: ``JournalStatements/Failure`` (a full disk, say), or what GRDB throws for the connection.
    func write(_ row: Row, onCaller: Bool = false) async throws {
        if onCaller, !row.survivesPowerCut, claimConnectionForCaller() {
            defer { releaseConnectionFromCaller() }
            try commit([row])
            callerCommitCount.add(1, ordering: .relaxed)
            return
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let startsCommitting = queue.withLock { queue in
                queue.waiting.append(Waiting(row: row, continuation: continuation))
                guard !queue.committing else { return false }
                queue.committing = true
                return true
            }
            if startsCommitting { committer.async { self.commitWaiting() } }
        }
    }

    /// Takes the connection for the caller's own commit when no one uses it, nothing waits and no checkpoint
    /// is due.
    private func claimConnectionForCaller() -> Bool {
        queue.withLock { queue in
            guard !queue.committing, queue.waiting.isEmpty, !queue.checkpointDue else { return false }
            queue.committing = true
            return true
        }
    }

    /// Gives the connection back after the caller's commit, to the committer when rows came meanwhile or a
    /// checkpoint is due.
    private func releaseConnectionFromCaller() {
        if !releaseIfIdle() { committer.async { self.commitWaiting() } }
    }

    /// Gives the connection back when no row waits and no checkpoint is due; returns whether it did.
    private func releaseIfIdle() -> Bool {
        queue.withLock { queue in
            guard queue.waiting.isEmpty, !queue.checkpointDue else { return false }
            queue.committing = false
            return true
        }
    }

    /// Checkpoints when due and commits what waits, batch after batch, until nothing is left to do.
    private func commitWaiting() {
        while true {
            let work = queue.withLock { queue -> Work in
                if queue.checkpointDue {
                    queue.rowsSinceCheckpoint = 0
                    return .checkpoint
                }
                let batch = queue.waiting
                queue.waiting = []
                guard !batch.isEmpty else {
                    queue.committing = false
                    return .stop
                }
                return .commit(batch)
            }
            let batch: [Waiting]
            switch work {
            case .stop: return
            case .checkpoint:
                checkpoint()
                continue
            case .commit(let waiting): batch = waiting
            }
            let outcomes: [Result<Void, any Error>]
            do {
                try commit(batch.map(\.row))
                outcomes = Array(repeating: .success(()), count: batch.count)
            } catch {
                outcomes =
                    batch.count == 1 ? [.failure(error)] : batch.map { waiting in Result { try commit([waiting.row]) } }
            }
            // The connection is given back before the writers resume, so that the next write of one of them
            // finds it free and commits on its own thread.
            let released = releaseIfIdle()
            for (waiting, outcome) in zip(batch, outcomes) { waiting.continuation.resume(with: outcome) }
            if released { return }
        }
    }

    /// Commits `rows` in one transaction: with `synchronous=FULL` (an `fsync` of the log before it returns)
    /// when one of them must survive a power cut, else with `NORMAL` (in the log, safe from a crash of the
    /// process; the next `FULL` commit makes it durable too), and the connection back at `FULL` after.
    private func commit(_ rows: [Row]) throws {
        let powerCut = rows.contains(where: \.survivesPowerCut)
        try database.writeWithoutTransaction { db in try statements.write(rows, powerCut: powerCut, on: db) }
        if powerCut { durableCommits.add(1, ordering: .relaxed) }
        queue.withLock { $0.rowsSinceCheckpoint += rows.count }
    }

    /// Copies the write-ahead log into the database (`PRAGMA wal_checkpoint(PASSIVE)`, with the `fsync`s that
    /// `synchronous=FULL` asks), so that the next writer starts the log again from its beginning. A failure
    /// loses nothing: the rows stay in the log, and the next checkpoint tries again.
    private func checkpoint() {
        do {
            _ = try database.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            checkpointCount.add(1, ordering: .relaxed)
        } catch {
            // The log only grows until the next checkpoint; a write that fails for the same cause is reported.
        }
    }

    /// How many transactions were committed with `synchronous=FULL`, for tests.
    var powerCutCommits: Int { durableCommits.load(ordering: .relaxed) }
    private let durableCommits = Atomic<Int>(0)

    /// How many rows were committed on their caller's thread, for tests.
    var callerCommits: Int { callerCommitCount.load(ordering: .relaxed) }
    private let callerCommitCount = Atomic<Int>(0)

    /// How many checkpoints the committer ran, for tests.
    var checkpoints: Int { checkpointCount.load(ordering: .relaxed) }
    private let checkpointCount = Atomic<Int>(0)
}
