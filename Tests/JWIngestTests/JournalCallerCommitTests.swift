import Foundation
import JWPlatform
import Synchronization
import Testing

@testable import JWIngest

/// A process-crash write of a small item, made on the HTTP client's event loop, is committed right there
/// instead of on the committer (issue 14); it is still whole and readable when the write returns, and the
/// write-ahead log is still checkpointed, by the committer.
@Suite("journal commits on the caller's thread")
struct JournalCallerCommitTests {
    @Test("on the loop, a process-crash write is committed there and reads back; a power-cut one is not")
    func processCrashWriteOnTheLoop() async throws {
        let (folder, path) = try JournalCostTests.scratchJournal("jwingest-caller-commit")
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = try SQLiteJournal(path: path, manifest: "m.yaml")
        var state = ItemState(itemID: "a")
        state.mediaKey = "K1"
        let threads = try await withTaskExecutorPreference(JWPlatformHTTPClient.taskExecutor) {
            let before = JWPlatformHTTPClient.taskExecutor.isCurrent
            try await Self.record(state, .processCrash, in: journal)
            return (before, JWPlatformHTTPClient.taskExecutor.isCurrent)
        }
        #expect(threads == (true, true))
        #expect(journal.callerCommits == 1 && journal.powerCutCommits == 0)
        // Committed when the write returned: another connection reads it.
        #expect(try await SQLiteJournal(path: path, manifest: "m.yaml").entries()["a"]?.mediaKey == "K1")

        try await withTaskExecutorPreference(JWPlatformHTTPClient.taskExecutor) {
            try await Self.record(ItemState(itemID: "b"), .powerCut, in: journal)
        }
        #expect(journal.callerCommits == 1 && journal.powerCutCommits == 1)
        // Off the loop (the cooperative pool), a process-crash write goes to the committer.
        try await withTaskExecutorPreference(globalConcurrentExecutor) {
            try await Self.record(ItemState(itemID: "c"), .processCrash, in: journal)
        }
        #expect(journal.callerCommits == 1)
        #expect(try await journal.synchronousSetting() == 2)
        let entries = try await SQLiteJournal(path: path, manifest: "m.yaml").entries()
        #expect(Set(entries.keys) == ["a", "b", "c"])
    }

    @Test("a refused process-crash write on the loop fails alone and leaves the connection free and at FULL")
    func refusedWriteOnTheLoop() async throws {
        let (folder, path) = try JournalCostTests.scratchJournal("jwingest-caller-refused")
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = try SQLiteJournal(path: path, manifest: "m.yaml")
        try await JournalCostTests.refuseInserts(of: "bad", in: path)
        try await withTaskExecutorPreference(JWPlatformHTTPClient.taskExecutor) {
            await #expect(throws: JournalError.self) {
                try await Self.record(ItemState(itemID: "bad"), .processCrash, in: journal)
            }
            try await Self.record(ItemState(itemID: "good"), .processCrash, in: journal)
        }
        // Both were tried on the loop; the connection was given back after the failure.
        #expect(journal.callerCommits == 1)
        #expect(try await journal.synchronousSetting() == 2)
        try await Self.record(ItemState(itemID: "durable"), .powerCut, in: journal)
        let entries = try await SQLiteJournal(path: path, manifest: "m.yaml").entries()
        #expect(Set(entries.keys) == ["good", "durable"])
    }

    @Test("1,000 writes on the loop: the committer checkpoints the log every 300 rows, so it stays small")
    func checkpointsKeepTheLogSmall() async throws {
        let (folder, path) = try JournalCostTests.scratchJournal("jwingest-caller-checkpoints")
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = try SQLiteJournal(path: path, manifest: "m.yaml")
        let count = 1_000
        try await withTaskExecutorPreference(JWPlatformHTTPClient.taskExecutor) {
            for index in 0..<count {
                try await Self.record(ItemState(itemID: "item-\(index)"), .processCrash, in: journal)
            }
        }
        // The writes that found a checkpoint due went to the committer, which ran it first; it gives the
        // connection back before it resumes their writer, so the next write is the loop's again.
        #expect(journal.checkpoints == count / JournalGroupCommit.rowsBetweenCheckpoints)
        #expect(
            journal.callerCommits >= count - journal.checkpoints, "\(journal.callerCommits) of \(count) on the loop")
        // Each commit adds at least two pages of 4 KiB to the log (the table's and its key's): without
        // checkpoints, 1,000 commits make it 8 MB or more. Started again after each checkpoint, it holds
        // about 300 commits' pages.
        let log = try FileManager.default.attributesOfItem(atPath: path.path + "-wal")[.size] as? Int ?? 0
        #expect(log > 0 && log < 5_000_000, "the -wal file has \(log) bytes")
        let entries = try await SQLiteJournal(path: path, manifest: "m.yaml").entries()
        #expect(entries.count == count)
    }

    /// Writes `state` as running, as durable as `durability` asks.
    static func record(
        _ state: ItemState, _ durability: JournalDurability, in journal: SQLiteJournal
    ) async throws {
        try await journal.record(
            state, status: .running, fingerprint: JournalCostTests.fingerprint, error: nil, durability: durability)
    }
}
