import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

@testable import JWIngest

/// The journal as a store of secrets and of promises: private files, rows that belong to one manifest
/// file, durable before the call they guard, and creates of account assets never repeated blindly.
@Suite("journal: keys, permissions, durability, pending creates")
struct JournalHardeningTests {
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("the journal's folder is 0700 and its files 0600: it holds live upload links")
    func privateFiles() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-private")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(".jwingest/journal.sqlite")
        let journal = try SQLiteJournal(path: path, manifest: "m.yaml")
        var state = ItemState(itemID: "a")
        state.uploadLink = UploadLink(scheme: "https", address: "u.example", path: "/v1/videos/upload", query: [])
        try await journal.record(state, status: .running, fingerprint: ItemFingerprint(file: "f", metadata: "m"))
        #expect(try Self.mode(path.deletingLastPathComponent().path) == 0o700)
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path.path + suffix) {
            #expect(try Self.mode(path.path + suffix) == 0o600, "journal.sqlite\(suffix)")
        }
        #expect(FileManager.default.fileExists(atPath: path.path + "-wal"))
    }

    @Test("a journal made by the first wave with loose permissions is made private when opened")
    func loosePermissionsTightened() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-loose")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(".jwingest/journal.sqlite")
        do {
            let journal = try SQLiteJournal(path: path, manifest: "m.yaml")
            try await journal.record(
                ItemState(itemID: "a"), status: .running, fingerprint: ItemFingerprint(file: "f", metadata: "m"))
        }
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o755], ofItemAtPath: path.deletingLastPathComponent().path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path.path)
        _ = try SQLiteJournal(path: path, manifest: "m.yaml")
        #expect(try Self.mode(path.deletingLastPathComponent().path) == 0o700)
        #expect(try Self.mode(path.path) == 0o600)
    }

    @Test("two manifests named manifest.yaml in different folders, one --journal: each keeps its own videos")
    func sameNameDifferentFolders() async throws {
        let root = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let journal = root.appendingPathComponent("shared/journal.sqlite")
        var manifests: [URL] = []
        for (name, media) in [("east", "intro"), ("west", "harbour")] {
            let folder = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            manifests.append(
                try IngestFixtures.write(
                    "version: 1\npipeline: [validate, create, upload, verify]\nitems:\n"
                        + "  - {id: v1, file: ../media/\(media).mp4, title: \(name)}\n", named: "manifest.yaml",
                    in: folder))
        }
        try await Sandbox.withSandbox { sandbox in
            for manifest in manifests {
                let result = try await ChildProcess.run(
                    ChildProcess.jwingest,
                    ["run", manifest.path, "--endpoint", sandbox.endpoint, "--no-progress", "--journal", journal.path],
                    environment: RunCommandTests.environment(sandbox), timeout: .seconds(120))
                #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
            }
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(Set(videos.compactMap(\.title)) == ["east", "west"], "\(videos.map(\.title))")
            #expect(videos.count == 2)
        }
    }

    @Test("a journal written by the first wave (rows keyed by the manifest's file name) keeps working")
    func firstWaveJournalMigrated() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let url = try JournalTests.manifest(folder, items: 3)
        let journal = SQLiteJournal.defaultPath(for: url)
        try await Sandbox.withSandbox { sandbox in
            // The first wave's key: file name, account key and endpoint.
            let legacy = "\(url.lastPathComponent) \(sandbox.credentials.key)@\(sandbox.endpoint)"
            let runner = try IngestRunner(
                manifest: try Manifest.load(from: url), client: IngestFixtures.client(sandbox),
                journal: try SQLiteJournal(path: journal, manifest: legacy))
            #expect(try await runner.ingest().exitCode == 0)
            let rerun = try await ChildProcess.run(
                ChildProcess.jwingest, ["run", url.path, "--endpoint", sandbox.endpoint, "--no-progress"],
                environment: RunCommandTests.environment(sandbox), timeout: .seconds(120))
            #expect(rerun.status == 0, "\(rerun.standardOutput)\(rerun.standardError)")
            #expect(rerun.standardOutput.contains("3 unchanged"), "\(rerun.standardOutput)")
            #expect(await sandbox.assets().filter { $0.kind == "video" }.count == 3)
        }
    }

    @Test("an account image whose create answer was lost stops with a message; --forget-pending-creates makes it")
    func pendingImageCreate() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let url = try IngestFixtures.write(
            "version: 1\nitems:\n  - {id: logo, file: media/logo.png, kind: image, title: Logo}\n", named: "logo.yaml",
            in: folder)
        let path = folder.appendingPathComponent("journal.sqlite")
        try await Sandbox.withSandbox { sandbox in
            let key = "logo.yaml"
            let journal = try SQLiteJournal(path: path, manifest: key)
            var state = ItemState(itemID: "logo")
            state.completedStages = ["validate"]
            state.createPending = true
            let manifest = try Manifest.load(from: url)
            let fingerprint = ItemFingerprint(of: manifest.items[0])
            try await journal.record(state, status: .running, fingerprint: fingerprint)
            let runner = try IngestRunner(manifest: manifest, client: IngestFixtures.client(sandbox), journal: journal)
            let stopped = try await runner.ingest()
            #expect(stopped.exitCode == 1)
            guard case .failed(let error)? = stopped.results.first?.outcome else {
                Issue.record("the item was not stopped: \(stopped.results.map(\.outcome))")
                return
            }
            #expect(error.message.contains("--forget-pending-creates"), "\(error)")
            #expect(await sandbox.assets().isEmpty)
            // The same item through the CLI, after the user checked the account.
            try await journal.forgetPendingCreates()
            let again = try await runner.ingest()
            #expect(again.exitCode == 0, "\(again.results.map(\.outcome))")
            #expect(await sandbox.assets().filter { $0.kind == "image" }.count == 1)
        }
    }

    @Test("the journal's connections write with synchronous=FULL, so a create-sent row survives a power cut")
    func synchronousFull() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-sync")
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = try SQLiteJournal(path: folder.appendingPathComponent("j.sqlite"), manifest: "m.yaml")
        #expect(try await journal.synchronousSetting() == 2)
    }
}
