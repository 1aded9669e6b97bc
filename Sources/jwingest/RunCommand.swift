import ArgumentParser
import Foundation
import JWIngest
import JWIngestPostgres
import JWPlatform
import JWSandbox
import Logging
import ServiceLifecycle

/// `jwingest run MANIFEST`: ingests every item of a manifest, into the platform with credentials, or into
/// an embedded sandbox without them.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Ingest every item of a manifest (YAML, JSON or CSV).",
        discussion: """
            With JW_API_KEY/JW_API_SECRET (or --credentials FILE) it talks to the platform (--endpoint to \
            change). With neither credentials nor --endpoint/--credentials it starts an embedded sandbox on \
            127.0.0.1, says so, and ingests there: nothing leaves the machine. --endpoint or --credentials \
            without usable credentials is an error (exit 2), never the sandbox. With --api v2 (or options.api: \
            v2) it speaks the v2 API with JW_SITE_ID/JW_V2_API_SECRET (or site_id/v2_secret in the file): \
            direct uploads under --multipart-threshold, resumable multipart uploads from it.

            Each item's state is written to a journal (SQLite, .jwingest/journal.sqlite beside the manifest) \
            after every stage; one run at a time may use a journal (a second exits 2, naming the first's pid \
            and host). Running the same manifest again skips the items already ingested, resumes the others \
            where they stopped, and updates the assets of items that changed; it never creates a second \
            asset for an item. Items the journal does not know (a new machine, a lost journal) are first \
            looked for on the platform by custom.ingest_id, in one paged sweep of /videos/list, and adopted \
            when found (--no-remote-check skips it). The embedded sandbox keeps no journal.

            Exit codes: 0 every item ingested; 1 some items failed (each is reported with its stage and \
            reason), or the run stopped itself (the platform refused the account, or --max-failures was \
            reached); 2 usage or manifest error, or the journal is in use by another run (nothing was sent); \
            3 interrupted by SIGINT/SIGTERM (running items stopped after their current stage); 4 the time \
            budget (--max-duration) was spent with items left: run again to continue.

            A CSV manifest has no options: or pipeline:; --concurrency, --upload-method, --format, --retries, \
            --max-size, --min-duration, --pipeline and --stage-limit give them, and override those of a YAML \
            or JSON manifest.

            Example: jwingest run manifests/demo.yaml --api v2 --report report.json
            """)

    @Argument(help: "The manifest: .yaml, .yml, .json or .csv.") var manifest: String
    @OptionGroup(title: "Manifest options") var overrideOptions: ManifestOverrideOptions
    @OptionGroup(title: "Picking items") var picking: ItemPickingOptions
    @OptionGroup(title: "Watching the run") var observability: ObservabilityOptions
    @Option(
        help: ArgumentHelp(
            "Read files no faster than this, in bytes a second for the whole process (20M, 512K), or by time of day "
                + "(\"08:00,5M 19:00,off\").", valueName: "rate"))
    var bwlimit: String?
    @Option(help: ArgumentHelp("Write a JSON report of the run to this file.", valueName: "file.json"))
    var report: String?
    @Option(
        help: ArgumentHelp("Write a JUnit XML report (one test case per item) to this file.", valueName: "file.xml"))
    var junit: String?
    @Option(
        help: ArgumentHelp(
            "Write one self-contained HTML page of the run (totals, charts, a sortable table of items) to this file.",
            valueName: "file.html"))
    var html: String?
    @Option(
        help: ArgumentHelp("Write every event as NDJSON to this file, or to standard output with -.", valueName: "file")
    )
    var events: String?
    @Flag(help: "Check everything and print the plan; send nothing.") var dryRun = false
    @Option(
        help: ArgumentHelp(
            "The journal: a file (default: .jwingest/journal.sqlite beside the manifest), or postgres://USER@HOST/DB "
                + "shared by many workers (also JWINGEST_JOURNAL).", valueName: "path|url"))
    var journal: String?
    @Flag(
        help: "With a shared journal, end when nothing is left to lease, instead of waiting for other workers' items.")
    var noWait = false
    @Flag(
        help: ArgumentHelp(
            "With a shared journal, give back the items whose file this machine does not see, for a worker that "
                + "has them, instead of failing them."))
    var onlyLocalFiles = false
    @Option(
        help: ArgumentHelp(
            "With a shared journal, how often this worker renews its leases, in seconds; a lease lasts three of "
                + "these, the longest its items wait for another worker if it dies.", valueName: "seconds"))
    var heartbeat: Double = 10
    @Flag(
        help: ArgumentHelp(
            "Create again the account images, skins and tracks whose create was interrupted before its answer "
                + "was kept (check the account first: they may exist)."))
    var forgetPendingCreates = false
    @Flag(help: .hidden) var forgetPendingTracks = false
    @Flag(
        help: ArgumentHelp(
            "Do not ask the platform which items exist before creating those the journal does not know "
                + "(only for an account known to hold none of them)."))
    var noRemoteCheck = false
    @Option(help: ArgumentHelp("Stop starting items after N failed ones (default: no limit).", valueName: "n"))
    var maxFailures: Int?
    @Flag(help: "Plain lines instead of the live progress display.") var noProgress = false
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if let maxFailures, maxFailures < 1 { throw ValidationError("--max-failures must be at least 1") }
        guard heartbeat >= 0.2, heartbeat <= 600 else {
            throw ValidationError("--heartbeat must be 0.2 to 600 seconds")
        }
        if let bwlimit {
            do {
                _ = try BandwidthSchedule(bwlimit)
            } catch {
                throw ValidationError("--bwlimit: \(error)")
            }
        }
    }

    func run() async throws {
        let url = URL(fileURLWithPath: manifest)
        let overrides = try overrideOptions.overrides()
        // As read (the runner applies the overrides itself), and with the overrides, to check and show.
        let original: Manifest
        var loaded: Manifest
        do {
            let (read, problems) = try Manifest.read(from: url, displayName: manifest)
            guard problems.isEmpty else { throw ManifestError(problems: problems) }
            var picked = read
            if picking.picks {
                let journalChoice = try JournalArgument(journal, manifest: url)
                if case .shared = journalChoice {
                    throw UsageError(
                        description: "--only, --include, --exclude, --from-file, --failed and --limit pick items of a "
                            + "run on one machine; with a shared journal every worker takes what is left of the whole "
                            + "manifest")
                }
                var withOverrides = read
                try overrides.apply(to: &withOverrides)
                let api = withOverrides.options.api
                let selection = try await picking.selection {
                    try await FailedItems.ids(
                        of: withOverrides, journal: journalChoice, account: connection.accountKey(api: api),
                        endpoint: connection.endpoint(api: api))
                }
                picked = try selection.apply(to: read)
            }
            original = picked
            loaded = picked
            try overrides.apply(to: &loaded)
            _ = try StageRegistry.standard.resolve(loaded.pipeline, options: loaded.options)
        } catch {
            FileHandle.standardError.write(Data("error: \(manifest): \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        var configuration = IngestRunner.Configuration()
        configuration.credentials = connection.credentialSource
        configuration.endpoint = connection.givenEndpoint
        configuration.security = connection.security
        let journalChoice: JournalArgument
        do {
            configuration.httpClient = try connection.httpClient()
            journalChoice = try JournalArgument(journal, manifest: url)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        var sharedLocation: PostgresLocation?
        switch journalChoice {
        case .file(let path): configuration.journal = .file(path)
        case .shared(let location):
            sharedLocation = location
            configuration.journal = .none  // the shared run is joined below, once the account is known
        }
        configuration.manifestOverrides = overrides
        configuration.remoteCheck = !noRemoteCheck
        configuration.maxFailures = maxFailures
        configuration.forgetPendingCreates = forgetPendingCreates || forgetPendingTracks
        configuration.waitForOtherWorkers = !noWait
        configuration.onlyLocalFiles = onlyLocalFiles
        configuration.bandwidth = try bwlimit.map { try BandwidthSchedule($0) }
        if dryRun {
            var entries: [String: JournalEntry]?
            if sharedLocation != nil {
                // The shared run as it stands (none yet: every item a create). Reading registers no worker.
                entries =
                    (try? await journalChoice.read(
                        loaded, account: connection.accountKey(api: loaded.options.api),
                        endpoint: connection.endpoint(api: loaded.options.api)
                    ) { journal, _ in try await journal.entries() }) ?? [:]
            }
            throw ExitCode(
                await DryRun.print(manifest: loaded, at: url, displayName: manifest, entries: entries, configuration))
        }
        let choice: AccountChoice
        do {
            choice = try AccountChoice.choose(
                configuration.credentials, endpointGiven: connection.givenEndpoint != nil, api: loaded.options.api)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let (events, eventFile) = try eventLog()
        defer { try? eventFile?.close() }
        let watching: ObservabilityOptions.Setup
        do {
            watching = try await observability.start()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let summary: RunSummary
        switch choice {
        case .account, .v2Account:
            configuration.observers = events + watching.observers + progress(loaded)
            if let shared = sharedLocation, let account = choice.accountKey {
                // Many workers on one manifest: the journal is a PostgreSQL database they share.
                summary = try await withSharedJournal(shared, loaded, account: account) { journal in
                    var joined = configuration
                    joined.journal = .custom(journal)
                    // Every worker of the account paces by the same windows.
                    joined.rateLimiting = .pacer(journal.callPacer())
                    return try await ingest(original, joined)
                }
            } else {
                summary = try await ingest(original, configuration)
            }
        case .sandbox:
            let (ready, observers) = (original, events + watching.observers + progress(loaded))
            let shared = configuration
            if sharedLocation != nil {
                FileHandle.standardError.write(
                    Data("note: the embedded sandbox keeps no journal: the shared journal is not used\n".utf8))
            }
            summary = try await Sandbox.withSandbox(SandboxConfiguration()) { sandbox in
                FileHandle.standardError.write(
                    Data(
                        ((loaded.options.api == .v2
                            ? "no credentials (JW_SITE_ID/JW_V2_API_SECRET)"
                            : "no credentials (JW_API_KEY/JW_API_SECRET)") + ": ingesting into an embedded sandbox at "
                            + "\(sandbox.endpoint); nothing leaves this machine\n").utf8))
                var local = shared
                local.credentials = .explicit(sandbox.credentials, v2: sandbox.v2Credentials)
                local.endpoint = sandbox.endpoint
                local.journal = .none  // the sandbox and what it received end with the run
                local.remoteCheck = false  // a sandbox started now holds nothing
                local.observers = observers
                return try await ingest(ready, local)
            }
        }
        do {
            try await observability.finish(watching)
            try summary.writeReports(
                json: report.map { URL(fileURLWithPath: $0) }, junit: junit.map { URL(fileURLWithPath: $0) },
                html: html.map { URL(fileURLWithPath: $0) })
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.failure)
        }
        if let stop = summary.stop {
            var line = "\(stop.reason == .budgetReached ? "note" : "error"): \(stop.message)"
            if stop.reason == .tooManyFailures, let maxFailures { line += " (--max-failures \(maxFailures))" }
            let notStarted = summary.results.filter { $0.outcome == .interrupted(lastStage: nil) }.count
            line += "; the run stopped: \(notStarted) item\(notStarted == 1 ? "" : "s") not started"
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        throw ExitCode(summary.exitCode)
    }

    /// Runs `body` with the shared journal at `location`, joined to the run of `manifest`.
    private func withSharedJournal(
        _ location: PostgresLocation, _ manifest: Manifest, account: String,
        _ body: (PostgresJournal) async throws -> RunSummary
    ) async throws -> RunSummary {
        do {
            return try await PostgresJournal.withJournal(
                at: location, manifest: manifest, account: account,
                endpoint: connection.endpoint(api: manifest.options.api),
                heartbeat: .milliseconds(Int64(heartbeat * 1000)), body)
        } catch let error as PostgresJournalError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
    }

    /// Runs the manifest as a service of a `ServiceGroup`, which turns SIGINT/SIGTERM into a graceful stop.
    private func ingest(_ manifest: Manifest, _ configuration: IngestRunner.Configuration) async throws -> RunSummary {
        let runner: IngestRunner
        do {
            runner = try IngestRunner(manifest: manifest, configuration: configuration)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        var logger = Logger(label: "jwingest")
        logger.logLevel = .critical
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: runner, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            // The runner throws only when it cannot hold its journal (another run holds it): nothing was sent.
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        guard let summary = runner.lastSummary else {
            FileHandle.standardError.write(Data("error: the run ended without a summary\n".utf8))
            throw ExitCode(ExitStatus.failure)
        }
        return summary
    }

    /// The NDJSON event log `--events` asks for, and its file to close.
    private func eventLog() throws -> ([any IngestObserver], FileHandle?) {
        guard let events else { return ([], nil) }
        if events == "-" { return ([NDJSONEventLog(handle: .standardOutput)], nil) }
        guard FileManager.default.createFile(atPath: events, contents: nil),
            let handle = FileHandle(forWritingAtPath: events)
        else {
            FileHandle.standardError.write(Data("error: cannot write the event log \(events)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        return ([NDJSONEventLog(handle: handle)], handle)
    }

    /// The live display on a terminal, else plain lines.
    private func progress(_ manifest: Manifest) -> [any IngestObserver] {
        let progressHandle: FileHandle = events == "-" ? .standardError : .standardOutput
        let environment = ProcessInfo.processInfo.environment
        // NDJSON on a terminal's standard output would tear the live display: plain lines then.
        let interactive =
            !noProgress && isatty(2) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
            && !(events == "-" && isatty(1) == 1)
        if interactive {
            let total = manifest.items.reduce(Int64(0)) { sum, item in
                sum + ((item.file.flatMap { try? FileStatus(path: $0.path) })?.size ?? 0)
            }
            return [TerminalProgress(handle: .standardError, totalBytes: total)]
        }
        return [PlainProgress(handle: progressHandle)]
    }
}
