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
        var committing = false
    }

    private let database: DatabasePool
    private let statements: JournalStatements
    private let queue = Mutex(Queue())
    private let committer = DispatchQueue(label: "jwingest.journal.group-commit")

    /// Commits rows to `database` with the statement `upsert` (its nine arguments in ``Row``'s order).
    init(database: DatabasePool, upsert: String) {
        self.database = database
        statements = JournalStatements(upsert: upsert)
    }

    /// Writes `row` and returns once it is durable. The transaction runs on the committer's queue, never
    /// on the caller's thread: SQLite may `fsync` in any commit (an automatic checkpoint), and the
    /// cooperative pool has as many threads as cores (STYLE.md).
    ///
    /// - Throws: ``JournalStatements/Failure`` (a full disk, say), or what GRDB throws for the connection.
    func write(_ row: Row) async throws {
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

    /// Commits what waits, batch after batch, until nothing does.
    private func commitWaiting() {
        while true {
            let batch = queue.withLock { queue -> [Waiting] in
                let batch = queue.waiting
                queue.waiting = []
                if batch.isEmpty { queue.committing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                try commit(batch.map(\.row))
                for waiting in batch { waiting.continuation.resume() }
            } catch {
                guard batch.count > 1 else {
                    batch[0].continuation.resume(throwing: error)
                    continue
                }
                for waiting in batch {
                    do {
                        try commit([waiting.row])
                        waiting.continuation.resume()
                    } catch {
                        waiting.continuation.resume(throwing: error)
                    }
                }
            }
        }
    }

    /// Commits `rows` in one transaction: with `synchronous=FULL` (an `fsync` of the log before it returns)
    /// when one of them must survive a power cut, else with `NORMAL` (in the log, safe from a crash of the
    /// process; the next `FULL` commit makes it durable too), and the connection back at `FULL` after.
    private func commit(_ rows: [Row]) throws {
        let powerCut = rows.contains(where: \.survivesPowerCut)
        try database.writeWithoutTransaction { db in try statements.write(rows, powerCut: powerCut, on: db) }
        if powerCut { durableCommits.add(1, ordering: .relaxed) }
    }

    /// How many transactions were committed with `synchronous=FULL`, for tests.
    var powerCutCommits: Int { durableCommits.load(ordering: .relaxed) }
    private let durableCommits = Atomic<Int>(0)
}
