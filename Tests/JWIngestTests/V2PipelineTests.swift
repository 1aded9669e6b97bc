import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

@testable import JWIngest

/// The pipeline on the v2 API against a real sandbox on 127.0.0.1: direct and multipart uploads, fetches,
/// thumbnails made posters, text tracks, faults on parts, adoption by `external_id`, and a run killed in
/// the middle of a multipart upload that resumes with only the missing parts.
@Suite("the pipeline on v2")
struct V2PipelineTests {
    /// The v2 client of `sandbox`, retrying nothing by itself (the stages retry).
    static func v2Client(_ sandbox: Sandbox) -> V2Client {
        V2Client(
            credentials: sandbox.v2Credentials,
            configuration: APIClientConfiguration(endpoint: sandbox.endpoint, retry: .none))
    }

    /// A runner of `manifest` on v2 against `sandbox`.
    static func runner(
        _ manifest: Manifest, _ sandbox: Sandbox, journal: (any IngestJournaling)? = nil, remoteCheck: Bool = false
    ) throws -> IngestRunner {
        var manifest = manifest
        manifest.options.api = .v2
        return try IngestRunner(
            manifest: manifest, client: IngestFixtures.client(sandbox), journal: journal,
            policy: IngestRunner.Policy(remoteCheck: remoteCheck), v2Client: v2Client(sandbox))
    }

    /// The environment of a `jwingest` child that ingests into `sandbox` on v2.
    static func environment(_ sandbox: Sandbox) -> [String: String] {
        [
            "JW_SITE_ID": sandbox.v2Credentials.siteID,
            "JW_V2_API_SECRET": sandbox.v2Credentials.secret.withRevealedText { $0 },
        ]
    }

    /// A manifest of one big video in `folder`, sent as a multipart upload of 5 MiB parts.
    static func multipartManifest(in folder: URL, size: Int, concurrency: Int = 2) throws -> URL {
        _ = try UploadRecoveryTests.bigVideo(in: folder, size: size)
        return try IngestFixtures.write(
            """
            version: 1
            options: {api: v2, multipart_threshold: 8MiB, part_size: 5MiB, part_concurrency: \(concurrency)}
            pipeline: [validate, create, upload, verify]
            items:
              - {id: big, file: big.mp4, title: Big}
            """, named: "big.yaml", in: folder)
    }

    @Test("the demo on v2: one media per item with its external_id, md5 of each file, poster thumbnail, tracks")
    func demoArrives() async throws {
        let manifest = try Manifest.load(from: IngestFixtures.manifests.appendingPathComponent("demo.yaml"))
        try await Sandbox.withSandbox { sandbox in
            let summary = try await Self.runner(manifest, sandbox).ingest()
            #expect(summary.exitCode == 0, "\(summary.results.map(\.outcome))")
            let assets = await sandbox.assets()
            for item in manifest.items {
                let result = try #require(summary.results.first { $0.item.id == item.id })
                let file = try #require(item.file)
                guard item.kind == .video else {
                    // Account images have no v2 resource: they go through v1.
                    let images = assets.filter { $0.kind == item.kind.rawValue }
                    #expect(images.count == 1)
                    #expect(images.first?.md5 == (try IngestFixtures.md5(file)))
                    continue
                }
                let media = assets.filter { $0.kind == "video" && $0.externalID == item.id }
                #expect(media.count == 1, "\(item.id)")
                let video = try #require(media.first)
                #expect(video.key == result.state.mediaKey)
                #expect(video.md5 == (try IngestFixtures.md5(file)))
                #expect(video.uploads == 1)
                #expect(video.title == item.metadata.title)
                #expect(video.custom["source"] == "jwingest-demo")
                #expect(result.state.verified)
                #expect(result.state.v2Upload == nil)
                let thumbnails = assets.filter { $0.kind == "thumbnail" && $0.videoKey == video.key }
                #expect(thumbnails.count == (item.thumbnail == nil ? 0 : 1), "\(item.id)")
                if let thumbnail = item.thumbnail {
                    #expect(thumbnails.first?.md5 == (try IngestFixtures.md5(thumbnail)))
                    #expect(thumbnails.first?.poster == true)
                }
                let tracks = assets.filter { $0.kind == "track" && $0.videoKey == video.key }
                #expect(tracks.count == item.tracks.count)
                for track in item.tracks {
                    let stored = tracks.first {
                        $0.language == track.metadata.language && $0.trackKind == track.metadata.kind
                    }
                    #expect(stored?.md5 == (try IngestFixtures.md5(track.file)), "\(item.id) \(track.identity)")
                    #expect(stored?.label == track.metadata.label)
                }
            }
        }
    }

    @Test("a file over the threshold goes in verified parts, sent in parallel, each part PUT once")
    func multipartUpload() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-v2-multipart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try Self.multipartManifest(in: folder, size: 23 << 20, concurrency: 3)
        let manifest = try Manifest.load(from: url)
        #expect(manifest.options.api == .v2)
        #expect(manifest.options.partSize == 5 << 20)
        try await Sandbox.withSandbox { sandbox in
            let recorder = EventRecorder()
            let summary = try await Self.runner(manifest, sandbox).ingest(observers: [recorder])
            #expect(summary.exitCode == 0, "\(summary.results.map(\.outcome))")
            let media = await sandbox.assets().filter { $0.kind == "video" }
            #expect(media.count == 1)
            #expect(media.first?.md5 == (try IngestFixtures.md5(folder.appendingPathComponent("big.mp4"))))
            #expect(media.first?.size == 23 << 20)
            #expect(media.first?.partPuts == 5)
            let state = try #require(summary.results.first?.state)
            #expect(state.sent?.md5.hasSuffix("-5") == true)
            #expect(state.sent == state.received)
            let progress = recorder.events.compactMap { event -> Int64? in
                if case .bytesSent(_, let sent, _) = event.kind { return sent }
                return nil
            }
            #expect(progress.last == 23 << 20)
        }
    }

    @Test("faults on part PUTs and API calls: every item arrives whole, once, with one media per id")
    func faultsOnParts() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-v2-faults")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try Self.multipartManifest(in: folder, size: 21 << 20)
        var manifest = try Manifest.load(from: url)
        manifest.options.retries = 8
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "500=25%@s3,md5=15%@s3,503=15%@api,drop=10%@s3", seed: 11)
        configuration.rateLimits = .off
        let loaded = manifest
        try await Sandbox.withSandbox(configuration) { sandbox in
            let runner = try Self.runner(loaded, sandbox)
            var fast = runner
            fast.retryPolicy = RetryPolicy(maxAttempts: 9, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
            let summary = try await fast.ingest()
            #expect(summary.exitCode == 0, "\(summary.results.map(\.outcome))")
            let media = await sandbox.assets().filter { $0.kind == "video" }
            #expect(media.count == 1)
            #expect(media.first?.md5 == (try IngestFixtures.md5(folder.appendingPathComponent("big.mp4"))))
        }
    }

    @Test("a create whose answer was lost is found by external_id: adopted with its file, replaced without")
    func lostCreateIsAdopted() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let url = try IngestFixtures.write(
            """
            version: 1
            options: {api: v2}
            pipeline: [validate, create, upload, verify]
            items:
              - {id: kept, file: media/intro.mp4, title: Kept}
              - {id: bare, file: media/harbour.mp4, title: Bare}
            """, named: "lost.yaml", in: folder)
        let manifest = try Manifest.load(from: url)
        try await Sandbox.withSandbox { sandbox in
            let client = Self.v2Client(sandbox)
            // What a run that died after its creates left: one media with its file, one without.
            let kept = try await client.createMedia(
                metadata: ["title": "Kept", "external_id": "kept"], upload: .direct)
            guard case .direct(let link) = kept.target else { throw V2TestError.noLink }
            let file = folder.appendingPathComponent("media/intro.mp4")
            let size = try FileStatus(path: file.path).size
            _ = try await client.put(.whole(file, size: size), to: link)
            let bare = try await client.createMedia(
                metadata: ["title": "Bare", "external_id": "bare"], upload: .direct)
            for item in manifest.items {
                // The journal of that run: the creates sent, their answers never kept.
                var state = ItemState(itemID: item.id)
                state.createPending = true
                for stage in [CreateStage() as any Stage, UploadStage(), VerifyStage()] {
                    let context = StageContext(
                        item: item, client: IngestFixtures.client(sandbox), v2: client, options: manifest.options,
                        step: PipelineStep(name: stage.name))
                    let outcome = try await stage.run(&state, context)
                    #expect(outcome == .done, "\(item.id) \(stage.name)")
                }
                #expect(state.verified)
                if item.id == "kept" { #expect(state.mediaKey == kept.media.id) }
                if item.id == "bare" { #expect(state.mediaKey != bare.media.id) }
            }
            let media = await sandbox.assets().filter { $0.kind == "video" }
            #expect(media.filter { $0.externalID == "kept" }.map(\.key) == [kept.media.id])
            let replaced = media.filter { $0.externalID == "bare" }
            #expect(replaced.count == 1)
            #expect(replaced.first?.key != bare.media.id)
            #expect(replaced.first?.md5 == (try IngestFixtures.md5(folder.appendingPathComponent("media/harbour.mp4"))))
        }
    }

    @Test("a fresh journal finds what an earlier run made by external_id: nothing is created twice")
    func freshJournalAdopts() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        var manifest = try Manifest.load(from: folder.appendingPathComponent("demo.yaml"))
        manifest.pipeline = ["validate", "create", "upload", "verify"].map { PipelineStep(name: $0) }
        manifest.items = manifest.items.filter { $0.kind == .video }
        let loaded = manifest
        try await Sandbox.withSandbox { sandbox in
            let first = try await Self.runner(loaded, sandbox).ingest()
            #expect(first.ingested == loaded.items.count)
            let journal = try SQLiteJournal(
                path: folder.appendingPathComponent("new.sqlite"), manifest: loaded.source, account: "site",
                endpoint: sandbox.endpoint)
            let second = try await Self.runner(loaded, sandbox, journal: journal, remoteCheck: true).ingest()
            #expect(second.exitCode == 0)
            #expect(second.unchanged == loaded.items.count, "\(second.results.map(\.outcome))")
            let media = await sandbox.assets().filter { $0.kind == "video" }
            #expect(media.count == loaded.items.count)
            #expect(media.allSatisfy { $0.uploads == 1 })
        }
    }

    @Test("jwingest run --api v2 killed with SIGKILL mid-multipart resumes and sends only the missing parts")
    func killedMidMultipart() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-v2-kill")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try Self.multipartManifest(in: folder, size: 31 << 20)
        let parts = 7
        var configuration = SandboxConfiguration()
        // 4 MB/s a connection: about 1.3 s a part, so the kill surely lands between the first and last part.
        configuration.faults = try FaultPlan(spec: "bw=4M@s3", seed: 1)
        let journal = folder.appendingPathComponent("journal.sqlite")
        try await Sandbox.withSandbox(configuration) { sandbox in
            let arguments = [
                "run", url.path, "--endpoint", sandbox.endpoint, "--no-progress", "--journal", journal.path,
            ]
            let first = try ChildProcess.start(ChildProcess.jwingest, arguments, environment: Self.environment(sandbox))
            let deadline = Date().addingTimeInterval(120)
            var stored = 0
            while Date() < deadline {
                stored = await sandbox.assets().first { $0.kind == "video" }?.partPuts ?? 0
                if stored >= 2 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            first.signal(SIGKILL)
            _ = await first.waitForExit()
            // A part whose bytes were all in the kernel's buffers at the kill still arrives (as it would at
            // S3): the count settles before the second run lists the parts.
            var settled = stored
            var stableSince = Date()
            while Date().timeIntervalSince(stableSince) < 3, Date() < deadline {
                let now = await sandbox.assets().first { $0.kind == "video" }?.partPuts ?? 0
                if now != settled { (settled, stableSince) = (now, Date()) }
                try await Task.sleep(for: .milliseconds(50))
            }
            let before = await sandbox.assets().first { $0.kind == "video" }
            #expect((2..<parts).contains(before?.partPuts ?? 0), "parts stored before the kill: \(stored)")
            #expect(before?.md5 == nil)

            let second = try await ChildProcess.run(
                ChildProcess.jwingest, arguments, environment: Self.environment(sandbox), timeout: .seconds(180))
            #expect(second.status == 0, "\(second.standardOutput)\(second.standardError)")
            let media = await sandbox.assets().filter { $0.kind == "video" }
            #expect(media.count == 1)
            // Every part was PUT once over both runs: none that the first run stored was sent again.
            #expect(media.first?.partPuts == parts)
            #expect(media.first?.md5 == (try IngestFixtures.md5(folder.appendingPathComponent("big.mp4"))))
        }
    }

    @Test("a url item is fetched by the platform on v2 and wait-ready sees it ready")
    func fetchByURL() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let server = try await StaticFileServer.start(serving: folder.appendingPathComponent("media"))
        defer { server.stop() }
        let url = try IngestFixtures.write(
            """
            version: 1
            options: {api: v2}
            pipeline: [validate, create, upload, verify, wait-ready]
            items:
              - {id: fetched, url: "\(server.address)/harbour.mp4", title: Fetched}
            """, named: "fetch.yaml", in: folder)
        let manifest = try Manifest.load(from: url)
        try await Sandbox.withSandbox { sandbox in
            let summary = try await Self.runner(manifest, sandbox).ingest()
            #expect(summary.exitCode == 0, "\(summary.results.map(\.outcome))")
            #expect(summary.results.first?.state.remoteStatus == "ready")
            let media = await sandbox.assets().filter { $0.kind == "video" }
            #expect(media.count == 1)
            #expect(media.first?.md5 == (try IngestFixtures.md5(folder.appendingPathComponent("media/harbour.mp4"))))
        }
    }

    @Test("the demo over https with --api v2 and --ca-file: every item arrives")
    func demoOverTLS() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-v2-tls")
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = SandboxConfiguration()
        let tls = try SandboxTLS.throwAway()
        configuration.tls = tls
        let authority = folder.appendingPathComponent("ca.pem")
        try Data(try #require(tls.authorityPEM).utf8).write(to: authority)
        try await Sandbox.withSandbox(configuration) { sandbox in
            #expect(sandbox.endpoint.hasPrefix("https://127.0.0.1:"))
            var environment = Self.environment(sandbox)
            environment.merge(RunCommandTests.environment(sandbox)) { $1 }
            let demo = TestTools.repository.appendingPathComponent("manifests/demo.yaml")
            let run = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "run", demo.path, "--api", "v2", "--endpoint", sandbox.endpoint, "--ca-file", authority.path,
                    "--no-progress", "--journal", folder.appendingPathComponent("journal.sqlite").path,
                ], environment: environment, timeout: .seconds(180))
            #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
            let videos = await sandbox.assets().filter { $0.kind == "video" }
            #expect(videos.count == 3)
            #expect(videos.allSatisfy { $0.md5 != nil && $0.uploads == 1 && $0.externalID != nil })
        }
    }

    @Test("the README's v2 command: no credentials, the embedded sandbox, every item of the demo on v2")
    func readmeCommand() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-v2-readme")
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("report.json")
        let demo = TestTools.repository.appendingPathComponent("manifests/demo.yaml")
        let run = try await ChildProcess.run(
            ChildProcess.jwingest, ["run", demo.path, "--api", "v2", "--no-progress", "--report", report.path],
            timeout: .seconds(180))
        #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
        #expect(run.standardError.contains("no credentials (JW_SITE_ID/JW_V2_API_SECRET)"), "\(run.standardError)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any]
        #expect(json?["ingested"] as? Int == 4, "\(String(describing: json))")
    }

    @Test("one credentials file with both generations' secrets serves a v2 run with an account image")
    func credentialsFileWithBoth() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-v2-credentials")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Sandbox.withSandbox { sandbox in
            let file = folder.appendingPathComponent("jw.json")
            let both: [String: String] = [
                "key": sandbox.credentials.key, "secret": sandbox.credentials.secret.withRevealedText { $0 },
                "site_id": sandbox.v2Credentials.siteID,
                "v2_secret": sandbox.v2Credentials.secret.withRevealedText { $0 },
            ]
            try JSONSerialization.data(withJSONObject: both).write(to: file)
            let demo = TestTools.repository.appendingPathComponent("manifests/demo.yaml")
            let run = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "run", demo.path, "--api", "v2", "--credentials", file.path, "--endpoint", sandbox.endpoint,
                    "--no-progress", "--journal", folder.appendingPathComponent("journal.sqlite").path,
                ], timeout: .seconds(180))
            #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
            let assets = await sandbox.assets()
            #expect(assets.filter { $0.kind == "video" && $0.externalID != nil }.count == 3)
            #expect(assets.filter { $0.kind == "image" }.count == 1)
            let status = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "status", demo.path, "--api", "v2", "--credentials", file.path, "--endpoint", sandbox.endpoint,
                    "--journal", folder.appendingPathComponent("journal.sqlite").path,
                ], timeout: .seconds(60))
            #expect(status.status == 0, "\(status.standardOutput)\(status.standardError)")
            #expect(status.standardOutput.contains("4 ingested"), "\(status.standardOutput)")
        }
    }

    @Test("v2 options are read, checked and overridden: api, multipart_threshold, part_size, part_concurrency")
    func options() throws {
        let folder = try TestMedia.temporaryFolder("jwingest-v2-options")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = try IngestFixtures.write(
            """
            version: 1
            options: {api: v3, part_size: 1MiB, part_concurrency: 0}
            items:
              - {id: a, file: a.mp4}
            """, named: "bad.yaml", in: folder)
        let (_, problems) = try Manifest.read(from: bad, displayName: "bad.yaml")
        let text = problems.map(\.message).joined(separator: "\n")
        #expect(text.contains("api must be v1 or v2"), "\(text)")
        #expect(text.contains("part_size 1048576 is outside"), "\(text)")
        #expect(text.contains("part_concurrency"), "\(text)")
        let mixed = try IngestFixtures.write(
            "version: 1\noptions: {api: v2, upload_method: s3}\nitems:\n  - {id: a, file: a.mp4}\n",
            named: "mixed.yaml", in: folder)
        let (_, mixedProblems) = try Manifest.read(from: mixed, displayName: "mixed.yaml")
        #expect(mixedProblems.contains { $0.message.contains("upload_method is v1's") })
        var manifest = Manifest(source: bad, items: [])
        try ManifestOverrides(api: .v2, multipartThreshold: 1 << 30, partSize: 32 << 20, partConcurrency: 8)
            .apply(to: &manifest)
        #expect(manifest.options.api == .v2)
        #expect(manifest.options.multipartThreshold == 1 << 30)
        #expect(manifest.options.partSize == 32 << 20)
        #expect(manifest.options.partConcurrency == 8)
        #expect(throws: ManifestError.self) { try ManifestOverrides(partSize: 4 << 20).apply(to: &manifest) }
    }
}

enum V2TestError: Error {
    case noLink
}
