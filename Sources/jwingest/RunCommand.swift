import ArgumentParser
import Foundation
import JWIngest
import JWPlatform
import JWSandbox
import Logging
import ServiceLifecycle
import Synchronization

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
            without usable credentials is an error (exit 2), never the sandbox.

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
            3 interrupted by SIGINT/SIGTERM (running items stopped after their current stage).

            A CSV manifest has no options: or pipeline:; --concurrency, --upload-method, --format, --retries, \
            --max-size, --min-duration, --pipeline and --stage-limit give them, and override those of a YAML \
            or JSON manifest.
            """)

    @Argument(help: "The manifest: .yaml, .yml, .json or .csv.") var manifest: String
    @OptionGroup(title: "Manifest options") var overrideOptions: ManifestOverrideOptions
    @Option(help: ArgumentHelp("Write a JSON report of the run to this file.", valueName: "file.json"))
    var report: String?
    @Option(
        help: ArgumentHelp("Write a JUnit XML report (one test case per item) to this file.", valueName: "file.xml"))
    var junit: String?
    @Option(
        help: ArgumentHelp("Write every event as NDJSON to this file, or to standard output with -.", valueName: "file")
    )
    var events: String?
    @Flag(help: "Check everything and print the plan; send nothing.") var dryRun = false
    @Option(
        help: ArgumentHelp("The journal (default: .jwingest/journal.sqlite beside the manifest).", valueName: "path"))
    var journal: String?
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
    }

    func run() async throws {
        let url = URL(fileURLWithPath: manifest)
        let overrides = try overrideOptions.overrides()
        var loaded: Manifest
        do {
            let (read, problems) = try Manifest.read(from: url, displayName: manifest)
            guard problems.isEmpty else { throw ManifestError(problems: problems) }
            loaded = read
            try overrides.apply(to: &loaded)
            _ = try StageRegistry.standard.resolve(loaded.pipeline, options: loaded.options)
        } catch {
            FileHandle.standardError.write(Data("error: \(manifest): \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        if dryRun {
            // With credentials, the journal says what the run would do with each item; without, all is new.
            var actions: [String: String] = [:]
            let journalPath = journal.map { URL(fileURLWithPath: $0) } ?? SQLiteJournal.defaultPath(for: url)
            if let credentials = try? connection.loadCredentials(),
                FileManager.default.fileExists(atPath: journalPath.path)
            {
                let journal = try openJournal(for: url, credentials: credentials)
                let entries = (try? await journal.entries()) ?? [:]
                let plan = try? IngestPlan(manifest: loaded, journal: entries, pipeline: loaded.pipeline.map(\.name))
                for entry in plan?.entries ?? [] {
                    actions[entry.item.id] = entry.action.description
                }
            }
            let validation = ManifestValidation.run(url, displayName: manifest, overrides: overrides)
            throw ExitCode(DryRun.print(validation, actions: actions))
        }
        let credentials: APICredentials?
        do {
            credentials = try connection.loadCredentials()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        // The embedded sandbox is for a first try; a job that names where to go but lacks its credentials
        // (a Secret that was not mounted) must fail, not report success against a sandbox, whatever the
        // endpoint it names (the platform's own included).
        if credentials == nil, connection.namesAnAccount {
            FileHandle.standardError.write(
                Data(
                    ("error: no credentials: set JW_API_KEY and JW_API_SECRET, or pass --credentials FILE (with "
                        + "--endpoint or --credentials a run never falls back to the local sandbox)\n").utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let summary: RunSummary
        let ready = loaded
        if let credentials {
            let journal = try openJournal(for: url, credentials: credentials)
            let lock: JournalLock
            do {
                lock = try JournalLock(journal: journal.path)
                if forgetPendingCreates || forgetPendingTracks { try await journal.forgetPendingCreates() }
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(ExitStatus.usage)
            }
            // Held until the run has ended, whichever way.
            defer { withExtendedLifetime(lock) {} }
            summary = try await ingest(
                ready, credentials: credentials, endpoint: connection.endpoint, journal: journal,
                remoteCheck: !noRemoteCheck)
        } else {
            summary = try await Sandbox.withSandbox(SandboxConfiguration()) { sandbox in
                FileHandle.standardError.write(
                    Data(
                        ("no credentials (JW_API_KEY/JW_API_SECRET): ingesting into an embedded sandbox at "
                            + "\(sandbox.endpoint); nothing leaves this machine\n").utf8))
                // A sandbox started now holds nothing: there is nothing to look for.
                return try await ingest(
                    ready, credentials: sandbox.credentials, endpoint: sandbox.endpoint, journal: nil,
                    remoteCheck: false)
            }
        }
        try writeReports(summary)
        if let stop = summary.stop {
            var line = "error: \(stop.message)"
            if stop.reason == .tooManyFailures, let maxFailures { line += " (--max-failures \(maxFailures))" }
            let notStarted = summary.results.filter { $0.outcome == .interrupted(lastStage: nil) }.count
            line += "; the run stopped: \(notStarted) item\(notStarted == 1 ? "" : "s") not started"
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        throw ExitCode(summary.exitCode)
    }

    /// The journal of this manifest for this account and endpoint.
    private func openJournal(for manifest: URL, credentials: APICredentials) throws -> SQLiteJournal {
        do {
            return try JournalOptions.open(
                manifest: manifest, path: self.journal, credentials: credentials, endpoint: connection.endpoint)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
    }

    private func ingest(
        _ manifest: Manifest, credentials: APICredentials, endpoint: String, journal: SQLiteJournal?,
        remoteCheck: Bool
    ) async throws -> RunSummary {
        let pacer = RouteRateLimiter(onWait: { call, until in
            IngestTaskContext.reportRateLimit(call: call, until: until)
        })
        let configuration = APIClientConfiguration(
            endpoint: endpoint, format: manifest.options.apiFormat, security: connection.security, retry: .none,
            pacer: pacer)
        do {
            _ = try configuration.resolvedEndpoint()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let client = APIClient(credentials: credentials, configuration: configuration)
        let runner = try IngestRunner(
            manifest: manifest, client: client, journal: journal,
            policy: IngestRunner.Policy(remoteCheck: remoteCheck, maxFailures: maxFailures))
        var observers: [any IngestObserver] = []
        var eventFile: FileHandle?
        if let events {
            if events == "-" {
                observers.append(NDJSONEventLog(handle: .standardOutput))
            } else {
                guard FileManager.default.createFile(atPath: events, contents: nil),
                    let handle = FileHandle(forWritingAtPath: events)
                else {
                    FileHandle.standardError.write(Data("error: cannot write the event log \(events)\n".utf8))
                    throw ExitCode(ExitStatus.usage)
                }
                eventFile = handle
                observers.append(NDJSONEventLog(handle: handle))
            }
        }
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
            observers.append(TerminalProgress(handle: .standardError, totalBytes: total))
        } else {
            observers.append(PlainProgress(handle: progressHandle))
        }
        let outcome = Mutex<RunSummary?>(nil)
        let service = RunService { [observers] in
            let summary = await runner.run(observers: observers, endpoint: endpoint)
            outcome.withLock { $0 = summary }
        }
        var logger = Logger(label: "jwingest")
        logger.logLevel = .critical
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        try? eventFile?.close()
        guard let summary = outcome.withLock({ $0 }) else {
            FileHandle.standardError.write(Data("error: the run ended without a summary\n".utf8))
            throw ExitCode(ExitStatus.failure)
        }
        return summary
    }

    private func writeReports(_ summary: RunSummary) throws {
        for (path, text) in [(report, summary.jsonReport), (junit, summary.junitReport)] {
            guard let path else { continue }
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                FileHandle.standardError.write(
                    Data("error: cannot write \(path): \(error.localizedDescription)\n".utf8))
                throw ExitCode(ExitStatus.failure)
            }
        }
    }
}

/// The ingest as a service of a `ServiceGroup`, which turns SIGINT/SIGTERM into a graceful shutdown.
struct RunService: Service {
    let body: @Sendable () async -> Void

    func run() async throws { await body() }
}
