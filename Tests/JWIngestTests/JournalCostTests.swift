import Foundation
import GRDB
import JWPlatform
import JWSandbox
import JWTestSupport
import Synchronization
import Testing

@testable import JWIngest

/// What a journal write costs and what it must still guarantee (issue 14): the state's JSON written
/// directly reads back as `JSONEncoder`'s did, the file fingerprint is computed to the bit as before, and a
/// small item is written three times, each before the call it protects.
@Suite("journal cost")
struct JournalCostTests {
    /// A state with every property set to something other than its default, strings that need escaping
    /// included.
    static var everyFieldSet: ItemState {
        var state = ItemState(itemID: "clip \"1\" \\ é 🎬\n\u{1}")
        state.completedStages = ["validate", "create", "upload"]
        state.fileSize = 9_849
        state.fileModified = Date(timeIntervalSince1970: 1_796_332_442.733_494_8)
        state.duration = 2.0239999999999996
        state.mediaKey = "hjr2rjJ0"
        state.uploadLink = UploadLink(
            scheme: "https", address: "upload.example:8443", path: "/v1/videos/upload",
            query: [.init(name: "key", value: "K"), .init(name: "token", value: "t/o+k=n&")])
        state.linkIssuedAt = Date(timeIntervalSinceReferenceDate: 818_000_000.5)
        state.sent = FileDigest(md5: "0123456789abcdef0123456789abcdef", size: 9_849)
        state.received = FileDigest(md5: "fedcba9876543210fedcba9876543210", size: 9_848)
        state.verified = true
        state.uploads = 2
        state.thumbnailDone = true
        state.trackKeys = ["captions:en:a.vtt": "T1", "chapters::b.vtt": "T2"]
        state.tracksUploaded = ["captions:en:a.vtt", "chapters::b.vtt"]
        state.remoteStatus = "ready"
        state.values = ["custom.key": "value \"quoted\"", "empty": ""]
        state.createPending = true
        state.trackLinks = [
            "captions:en:a.vtt": UploadLink(scheme: "http", address: "127.0.0.1:1", path: "/t", query: [])
        ]
        state.tracksPending = ["chapters::b.vtt"]
        state.pendingUpdate = ItemState.PendingUpdate(metadata: true, file: false)
        var upload = V2UploadState.direct("https://s3.example/part")
        upload.method = .multipart
        upload.uploadID = "U1"
        upload.token = "secret-token"
        upload.partSize = 5 << 20
        upload.partMD5s = [1: "a", 2: "b"]
        state.v2Upload = upload
        state.v2Thumbnail = V2CompanionUpload(id: "TH", link: "https://s3.example/thumb")
        state.v2TrackLinks = ["captions:en:a.vtt": "https://s3.example/track"]
        return state
    }

    @Test("the journal's JSON of a state with every field set reads back equal, as JSONEncoder's does")
    func everyFieldReadsBack() throws {
        let state = Self.everyFieldSet
        let written = try state.journalJSON()
        let decoded = try JSONDecoder().decode(ItemState.self, from: Data(written.utf8))
        #expect(decoded == state)
        let byEncoder = try JSONDecoder().decode(ItemState.self, from: JSONEncoder().encode(state))
        #expect(decoded == byEncoder)
        // Its keys are JSONEncoder's keys.
        let keys = try #require(try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String: Any]).keys
        let encoderKeys = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(state)) as? [String: Any]
        ).keys
        #expect(Set(keys) == Set(encoderKeys))
    }

    @Test("no stored property of ItemState is left out of the journal's JSON")
    func noPropertyLeftOut() throws {
        let state = Self.everyFieldSet
        let properties = Set(Mirror(reflecting: state).children.compactMap(\.label))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(try state.journalJSON().utf8)) as? [String: Any])
        #expect(properties == Set(object.keys), "a property added to ItemState must be written by journalJSON()")
        // Every value differs from a new state's, so that a property written with its default would show.
        let fresh = Mirror(reflecting: ItemState(itemID: "")).children
        for (set, new) in zip(Mirror(reflecting: state).children, fresh) {
            #expect(String(describing: set.value) != String(describing: new.value), "\(set.label ?? "?") is not set")
        }
    }

    @Test("a new state, and one with a date and a duration of odd values, read back equal")
    func plainStatesReadBack() throws {
        for state in [ItemState(itemID: "a"), Self.odd] {
            let decoded = try JSONDecoder().decode(ItemState.self, from: Data(try state.journalJSON().utf8))
            #expect(decoded == state)
        }
        var infinite = ItemState(itemID: "x")
        infinite.duration = .infinity
        #expect(throws: EncodingError.self) { try infinite.journalJSON() }
    }

    static var odd: ItemState {
        var state = ItemState(itemID: "odd")
        state.duration = 1e-7
        state.fileModified = Date(timeIntervalSinceReferenceDate: -1e16)
        state.fileSize = Int64.max
        state.uploads = -1
        return state
    }

    @Test("the file fingerprint is the one earlier versions wrote: size and time as FileManager gave them")
    func fingerprintUnchanged() throws {
        let folder = try TestMedia.temporaryFolder("jwingest-fingerprint")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("clip.mp4")
        try Data("x".utf8).write(to: file)
        let link = folder.appendingPathComponent("link.mp4")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
        // Times with nanoseconds that round differently through 1970 and through 2001.
        for nanoseconds in stride(from: 1, to: 999_999_999, by: 37_037_037) {
            var times = [
                timespec(tv_sec: 1_796_332_442, tv_nsec: nanoseconds),
                timespec(tv_sec: 1_796_332_442, tv_nsec: nanoseconds),
            ]
            #expect(utimensat(AT_FDCWD, file.path, &times, 0) == 0)
            for url in [file, link] {
                let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
                let expected = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970
                let (size, modified) = ItemFingerprint.sizeAndModification(url)
                #expect(size == 1)
                #expect(modified == expected, "\(nanoseconds) ns")
            }
        }
        #expect(ItemFingerprint.sizeAndModification(folder.appendingPathComponent("none")) == (-1, -1))
    }

    @Test("200 items writing at once: every state durable and exact; when writes fail, every writer is told")
    func groupCommit() async throws {
        let (folder, path) = try Self.scratchJournal("jwingest-group-commit")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fingerprint = Self.fingerprint
        do {
            let journal = try SQLiteJournal(path: path, manifest: "m.yaml")
            #expect(try await journal.synchronousSetting() == 2)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        var state = ItemState(itemID: "item-\(index)")
                        state.mediaKey = "K\(index)"
                        state.uploads = index
                        try await journal.record(state, status: .running, fingerprint: fingerprint)
                        state.completedStages = ["create"]
                        try await journal.record(state, status: .ingested, fingerprint: fingerprint)
                    }
                }
                try await group.waitForAll()
            }
        }
        let entries = try await SQLiteJournal(path: path, manifest: "m.yaml").entries()
        #expect(entries.count == 200)
        for index in 0..<200 {
            let entry = try #require(entries["item-\(index)"])
            #expect(entry.status == .ingested)
            #expect(try entry.state().uploads == index && entry.state().completedStages == ["create"])
        }
        // The table gone under a running journal: each of many concurrent writes fails, none waits for ever.
        let journal = try SQLiteJournal(path: path, manifest: "m.yaml")
        let other = try DatabaseQueue(path: path.path)
        try await other.write { db in try db.execute(sql: "DROP TABLE item") }
        let ids = (0..<20).map { "x\($0)" }
        #expect(try await Self.refusedWrites(of: ids, in: journal) == Set(ids))
    }

    @Test("one row refused in a shared transaction: its writer is told, the others' rows are written")
    func groupCommitOneRowRefused() async throws {
        let (folder, path) = try Self.scratchJournal("jwingest-group-commit-one")
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = try SQLiteJournal(path: path, manifest: "m.yaml")
        try await Self.refuseInserts(of: "item-7", in: path)
        #expect(try await Self.refusedWrites(of: (0..<40).map { "item-\($0)" }, in: journal) == ["item-7"])
        let entries = try await SQLiteJournal(path: path, manifest: "m.yaml").entries()
        #expect(entries.count == 39 && entries["item-7"] == nil)
    }

    @Test("a refused process-crash write fails alone, rolled back, and leaves the connection at FULL")
    func refusedProcessCrashWrite() async throws {
        let (folder, path) = try Self.scratchJournal("jwingest-refused-normal")
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = try SQLiteJournal(path: path, manifest: "m.yaml")
        try await Self.refuseInserts(of: "bad", in: path)
        await #expect(throws: JournalError.self) {
            try await journal.record(
                ItemState(itemID: "bad"), status: .running, fingerprint: Self.fingerprint, error: nil,
                durability: .processCrash)
        }
        #expect(try await journal.synchronousSetting() == 2)
        // No transaction was left open: the next writes, of both kinds, go through and read back.
        try await journal.record(
            ItemState(itemID: "good"), status: .running, fingerprint: Self.fingerprint, error: nil,
            durability: .processCrash)
        try await journal.record(ItemState(itemID: "durable"), status: .running, fingerprint: Self.fingerprint)
        let entries = try await SQLiteJournal(path: path, manifest: "m.yaml").entries()
        #expect(Set(entries.keys) == ["good", "durable"])
    }

    @Test("a power-cut write is committed with synchronous=FULL, a process-crash write without; both read back")
    func durabilityLevels() async throws {
        let (folder, path) = try Self.scratchJournal("jwingest-durability")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fingerprint = Self.fingerprint
        do {
            let journal = try SQLiteJournal(path: path, manifest: "m.yaml")
            var state = ItemState(itemID: "a")
            state.createPending = true
            try await journal.record(
                state, status: .running, fingerprint: fingerprint, error: nil, durability: .powerCut)
            #expect(journal.powerCutCommits == 1)
            state.createPending = false
            state.mediaKey = "K1"
            try await journal.record(
                state, status: .running, fingerprint: fingerprint, error: nil, durability: .processCrash)
            state.verified = true
            try await journal.record(
                state, status: .ingested, fingerprint: fingerprint, error: nil, durability: .processCrash)
            #expect(journal.powerCutCommits == 1)
            // The connection is back at FULL for every other write.
            #expect(try await journal.synchronousSetting() == 2)
            // The four-argument write is a power-cut one.
            try await journal.record(ItemState(itemID: "b"), status: .running, fingerprint: fingerprint)
            #expect(journal.powerCutCommits == 2)
        }
        let entries = try await SQLiteJournal(path: path, manifest: "m.yaml").entries()
        let entry = try #require(entries["a"])
        #expect(try entry.status == .ingested && entry.mediaKey == "K1" && entry.state().verified)
    }

    static let fingerprint = ItemFingerprint(file: "f", metadata: "m")

    /// A new folder and the path of a journal in it; the caller removes the folder.
    static func scratchJournal(_ name: String) throws -> (folder: URL, path: URL) {
        let folder = try TestMedia.temporaryFolder(name)
        return (folder, folder.appendingPathComponent("journal.sqlite"))
    }

    /// Makes the journal at `path` refuse, from another connection, every new row of item `id` (a test's
    /// own name: put in the SQL as it is, since a trigger takes no bound values).
    static func refuseInserts(of id: String, in path: URL) async throws {
        try await DatabaseQueue(path: path.path).write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse BEFORE INSERT ON item WHEN NEW.item_id = '\(id)'
                    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                    """)
        }
    }

    /// Writes a fresh state for each of `ids`, all at once; returns the ids whose write failed with a
    /// ``JournalError`` that names the item.
    static func refusedWrites(of ids: [String], in journal: SQLiteJournal) async throws -> Set<String> {
        try await withThrowingTaskGroup(of: String?.self) { group in
            for id in ids {
                group.addTask {
                    do {
                        try await journal.record(ItemState(itemID: id), status: .running, fingerprint: fingerprint)
                        return nil
                    } catch let error as JournalError {
                        return error.description.contains("'\(id)'") ? id : "\(id): \(error)"
                    }
                }
            }
            return try await group.reduce(into: Set<String>()) { if let id = $1 { $0.insert(id) } }
        }
    }

    @Test("a small item is written three times, each before the call it protects")
    func threeWritesEachBeforeItsCall() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let url = try JournalTests.manifest(folder, items: 3)
        try await Sandbox.withSandbox { sandbox in
            let journal = RecordingJournal(
                try SQLiteJournal(path: SQLiteJournal.defaultPath(for: url), manifest: url.lastPathComponent),
                sandbox: sandbox)
            let runner = try IngestRunner(
                manifest: try Manifest.load(from: url), client: IngestFixtures.client(sandbox), journal: journal)
            let summary = try await runner.ingest()
            #expect(summary.ingested == 3)
            for id in ["v1", "v2", "v3"] {
                let writes = journal.writes.filter { $0.state.itemID == id }
                try #require(writes.count == 3, "\(id): \(writes.map(\.state.completedStages))")
                // 1. The create is recorded as sent before it goes out: the platform has no asset yet.
                #expect(writes[0].state.createPending && writes[0].state.mediaKey == nil)
                #expect(writes[0].platform == nil)
                // Only that one must survive a power cut: the others go back to it, safely (JournalDurability).
                #expect(writes.map(\.durability) == [.powerCut, .processCrash, .processCrash])
                // 2. Its key and link before the upload: the asset exists and holds no file.
                #expect(writes[1].state.completedStages == ["validate", "create"])
                #expect(writes[1].state.mediaKey != nil && writes[1].state.uploadLink != nil)
                #expect(writes[1].platform?.uploads == 0)
                // 3. The end: uploaded once, verified.
                #expect(writes[2].status == .ingested && writes[2].state.verified)
                #expect(writes[2].platform?.uploads == 1)
            }
            // What is in the journal is what a re-run needs: every item unchanged.
            let again = try await IngestRunner(
                manifest: try Manifest.load(from: url), client: IngestFixtures.client(sandbox),
                journal: try SQLiteJournal(path: SQLiteJournal.defaultPath(for: url), manifest: url.lastPathComponent)
            ).ingest()
            #expect(again.unchanged == 3)
        }
    }
}

extension JournalCostTests {
    @Test("writes a power cut may take back only after a v1 video's create, upload and local stages")
    func powerCutWhereAnswersCannotBeFoundAgain() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let url = try IngestFixtures.write(
            """
            version: 1
            pipeline: [validate, create, upload, verify, thumbnail]
            items:
              - {id: logo, file: media/logo.png, kind: image, title: Logo}
              - {id: clip, file: media/intro.mp4, title: Clip, thumbnail: media/intro.jpg}
            """, named: "mixed.yaml", in: folder)
        try await Sandbox.withSandbox { sandbox in
            let journal = RecordingJournal(
                try SQLiteJournal(path: SQLiteJournal.defaultPath(for: url), manifest: url.lastPathComponent),
                sandbox: sandbox)
            let runner = try IngestRunner(
                manifest: try Manifest.load(from: url), client: IngestFixtures.client(sandbox), journal: journal)
            let summary = try await runner.ingest()
            #expect(summary.ingested == 2)
            // An image's create answer cannot be looked for after a lost write: every write survives a power cut.
            let logo = journal.writes.filter { $0.state.itemID == "logo" }
            #expect(logo.count >= 3 && logo.allSatisfy { $0.durability == .powerCut })
            // A video: "create sent", then key and link, then the verified upload may go back; the thumbnail,
            // sent once to a link that would not take it again, may not.
            let clip = journal.writes.filter { $0.state.itemID == "clip" }
            #expect(clip.map(\.durability) == [.powerCut, .processCrash, .processCrash, .powerCut])
            #expect(clip.last?.state.thumbnailDone == true)
        }
    }
}

/// A journal that writes through to another and remembers each write, with what the sandbox held of the
/// item's asset at that instant.
final class RecordingJournal: IngestJournaling {
    struct Write: Sendable {
        var state: ItemState
        var status: JournalEntry.Status
        var durability: JournalDurability
        /// The sandbox's asset tagged with the item's ingest id, when there was one.
        var platform: SandboxAsset?
    }

    private let inner: any IngestJournaling
    private let sandbox: Sandbox
    private let recorded = Mutex<[Write]>([])

    init(_ inner: any IngestJournaling, sandbox: Sandbox) {
        self.inner = inner
        self.sandbox = sandbox
    }

    var writes: [Write] { recorded.withLock { $0 } }
    var location: String { inner.location }

    func entries() async throws -> [String: JournalEntry] { try await inner.entries() }

    func record(
        _ state: ItemState, status: JournalEntry.Status, fingerprint: ItemFingerprint, error: String?
    ) async throws {
        try await record(state, status: status, fingerprint: fingerprint, error: error, durability: .powerCut)
    }

    func record(
        _ state: ItemState, status: JournalEntry.Status, fingerprint: ItemFingerprint, error: String?,
        durability: JournalDurability
    ) async throws {
        let asset = await sandbox.assets().first { $0.custom[CreateStage.ingestIDField] == state.itemID }
        try await inner.record(state, status: status, fingerprint: fingerprint, error: error, durability: durability)
        recorded.withLock {
            $0.append(Write(state: state, status: status, durability: durability, platform: asset))
        }
    }

    func mediaKeysOfOtherManifests() async throws -> Set<String> { try await inner.mediaKeysOfOtherManifests() }

    func claim() async throws -> any JournalClaim { try await inner.claim() }
}
