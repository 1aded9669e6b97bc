import Foundation
import JWIngest
import JWIngestPostgres
import JWTestSupport
import Testing

/// The PostgreSQL journal itself, on the real server, each test in a database of its own: migrations when
/// many workers start at once, leases (how many, to whom, after death), the lease guarding every write,
/// and the manifest's seeding.
@Suite("PostgreSQL journal: schema, leases, seeding")
struct PostgresJournalTests {
    /// A manifest of `ids`, each a link to the same clip, in `folder` under `name`.
    static func manifest(
        _ ids: [String], in folder: URL, name: String = "catalog.yaml", title: String = "T"
    )
        throws -> Manifest
    {
        let intro = TestTools.repository.appendingPathComponent("manifests/media/intro.mp4")
        var lines: [String] = []
        for id in ids {
            let file = folder.appendingPathComponent("\(id).mp4")
            if !FileManager.default.fileExists(atPath: file.path) {
                try FileManager.default.linkItem(at: intro, to: file)
            }
            lines.append("  - {id: \(id), file: \(file.path), title: \(title) \(id)}")
        }
        let text = "version: 1\nitems:\n" + lines.joined(separator: "\n") + "\n"
        return try Manifest.parse(text, source: folder.appendingPathComponent(name))
    }

    static func join<Result: Sendable>(
        _ url: String, _ manifest: Manifest, heartbeat: Duration = .seconds(10),
        _ body: (PostgresJournal) async throws -> Result
    ) async throws -> Result {
        try await PostgresJournal.withJournal(
            at: try PostgresLocation(url: url), manifest: manifest, account: "key1", endpoint: "http://127.0.0.1:9",
            heartbeat: heartbeat, body)
    }

    @Test("eight workers starting at once on an empty database: one migration, one seeding, all joined")
    func concurrentStart() async throws {
        let url = try await TestDatabase.fresh()
        let folder = try TestMedia.temporaryFolder("jwingest-pg")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try Self.manifest((1...20).map { "m\($0)" }, in: folder)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 1...8 { group.addTask { try await Self.join(url, manifest) { _ in } } }
            try await group.waitForAll()
        }
        // Each migration applied once, all of them (versions 1…n with no gap).
        let applied = try await TestDatabase.integer("SELECT count(*) FROM jwingest_migration", in: url)
        #expect(applied >= 2)
        #expect(try await TestDatabase.integer("SELECT max(version) FROM jwingest_migration", in: url) == applied)
        #expect(try await TestDatabase.integer("SELECT count(*) FROM jwingest_item", in: url) == 20)
        #expect(try await TestDatabase.integer("SELECT count(*) FROM jwingest_worker", in: url) == 8)
    }

    @Test("a lease takes at most what was asked, in manifest order, and never an item another worker holds")
    func leasesAreDisjoint() async throws {
        let url = try await TestDatabase.fresh()
        let folder = try TestMedia.temporaryFolder("jwingest-pg")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try Self.manifest((1...10).map { "m\($0)" }, in: folder)
        try await Self.join(url, manifest) { first in
            try await Self.join(url, manifest) { second in
                let a = try await first.lease(upTo: 3)
                #expect(a.map(\.itemID) == ["m1", "m2", "m3"])
                #expect(a.allSatisfy { $0.entry == nil })
                let b = try await second.lease(upTo: 100)
                #expect(b.map(\.itemID) == (4...10).map { "m\($0)" })
                #expect(try await first.lease(upTo: 5).isEmpty)
                #expect(try await second.othersHoldLeases())
                #expect(try await first.othersHoldLeases())
                // Given back, an item is leased again (by anyone).
                try await first.release("m2")
                #expect(try await second.lease(upTo: 5).map(\.itemID) == ["m2"])
            }
        }
    }

    @Test("a dead worker's items: leased again after the lease runs out, with their checkpoints; its writes refused")
    func expiredLeases() async throws {
        let url = try await TestDatabase.fresh()
        let folder = try TestMedia.temporaryFolder("jwingest-pg")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try Self.manifest(["a", "b"], in: folder)
        let item = try #require(manifest.items.first)
        try await Self.join(url, manifest, heartbeat: .milliseconds(500)) { dead in
            try await Self.join(url, manifest, heartbeat: .milliseconds(500)) { alive in
                #expect(try await dead.lease(upTo: 2).count == 2)
                var state = ItemState(itemID: "a")
                state.createPending = true
                try await dead.record(state, status: .running, fingerprint: ItemFingerprint(of: item))
                #expect(try await alive.lease(upTo: 2).isEmpty)
                // The dead worker renews nothing: its leases (three heartbeats) run out.
                try await Task.sleep(for: .milliseconds(1700))
                #expect(try await !alive.othersHoldLeases())
                let taken = try await alive.lease(upTo: 2)
                #expect(taken.map(\.itemID) == ["a", "b"])
                let resumed = try #require(try taken.first?.entry?.state())
                #expect(resumed.createPending)
                // The worker that lost its lease may not write over the item's state any more.
                state.mediaKey = "STALE123"
                await #expect(throws: JournalError.self) {
                    try await dead.record(state, status: .running, fingerprint: ItemFingerprint(of: item))
                }
                #expect(try await alive.entries()["a"]?.mediaKey == nil)
            }
        }
    }

    @Test("renewed leases stay; a graceful stop gives them back at once")
    func renewAndGiveBack() async throws {
        let url = try await TestDatabase.fresh()
        let folder = try TestMedia.temporaryFolder("jwingest-pg")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try Self.manifest(["a", "b", "c"], in: folder)
        try await Self.join(url, manifest, heartbeat: .milliseconds(500)) { other in
            try await Self.join(url, manifest, heartbeat: .milliseconds(500)) { worker in
                let claim = try await worker.claim()
                #expect(try await worker.lease(upTo: 2).count == 2)
                for _ in 1...4 {
                    try await Task.sleep(for: .milliseconds(500))
                    try await worker.renewLeases()
                }
                #expect(try await other.lease(upTo: 3).map(\.itemID) == ["c"])
                await claim.release()
                #expect(try await other.lease(upTo: 3).map(\.itemID) == ["a", "b"])
            }
        }
    }

    @Test("a second manifest: the same joins, a changed item is leased again, another manifest is refused")
    func seeding() async throws {
        let url = try await TestDatabase.fresh()
        let folder = try TestMedia.temporaryFolder("jwingest-pg")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try Self.manifest(["a", "b"], in: folder)
        try await Self.join(url, manifest) { journal in
            for leased in try await journal.lease(upTo: 2) {
                let item = try #require(manifest.items.first { $0.id == leased.itemID })
                var state = ItemState(itemID: item.id)
                state.mediaKey = "KEY\(item.id)"
                try await journal.record(state, status: .ingested, fingerprint: ItemFingerprint(of: item))
                try await journal.release(item.id)
            }
        }
        let left = try await Self.join(url, manifest) { journal in try await journal.lease(upTo: 5) }
        #expect(left.isEmpty)
        let retitled = try Self.manifest(["a", "b"], in: folder, title: "New")
        try await Self.join(url, retitled) { journal in
            let again = try await journal.lease(upTo: 5)
            #expect(again.map(\.itemID) == ["a", "b"])
            #expect(again.allSatisfy { $0.entry?.mediaKey == "KEY\($0.itemID)" && $0.entry?.status == .ingested })
        }
        let other = try Self.manifest(["x", "y"], in: folder)
        await #expect(throws: PostgresJournalError.self) { try await Self.join(url, other) { _ in } }
        #expect(try await TestDatabase.integer("SELECT count(*) FROM jwingest_item", in: url) == 2)
    }
}
