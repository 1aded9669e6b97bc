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
            change). Without credentials it starts an embedded sandbox on 127.0.0.1, says so, and ingests \
            there: nothing leaves the machine.

            Each item's state is written to a journal (SQLite, .jwingest/journal.sqlite beside the manifest) \
            after every stage. Running the same manifest again skips the items already ingested, resumes the \
            others where they stopped, and updates the assets of items that changed; it never creates a \
            second asset for an item. The embedded sandbox keeps no journal (its assets end with it).

            Exit codes: 0 every item ingested; 1 some items failed (each is reported with its stage and \
            reason); 2 usage or manifest error (nothing was sent); 3 interrupted by SIGINT/SIGTERM (running \
            items stopped after their current stage).
            """)

    @Argument(help: "The manifest: .yaml, .yml, .json or .csv.") var manifest: String
    @Option(help: "Items in flight at once (overrides options.concurrency).") var concurrency: Int?
    @Option(help: ArgumentHelp("form or s3 (overrides options.upload_method).", valueName: "method"))
    var uploadMethod: String?
    @Option(help: ArgumentHelp("json, xml, php or py (overrides options.api_format).", valueName: "format"))
    var format: String?
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
    @Flag(help: "Create again the tracks whose create was interrupted before its answer was kept.")
    var forgetPendingTracks = false
    @Flag(help: "Plain lines instead of the live progress display.") var noProgress = false
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if let concurrency, !(1...256).contains(concurrency) {
            throw ValidationError("--concurrency must be 1 to 256")
        }
        if let uploadMethod, !["form", "s3"].contains(uploadMethod) {
            throw ValidationError("--upload-method must be form or s3, not '\(uploadMethod)'")
        }
        if let format, AnswerFormatRegistry.standard[AnswerFormatName(rawValue: format)] == nil {
            throw ValidationError("--format must be json, xml, php or py, not '\(format)'")
        }
    }

    /// Applies the command-line overrides to the manifest's options.
    func adjust(_ options: inout ManifestOptions) {
        if let concurrency { options.concurrency = concurrency }
        if let uploadMethod { options.uploadMethod = uploadMethod == "s3" ? .s3 : .form }
        if let format { options.apiFormat = AnswerFormatName(rawValue: format) }
    }

    func run() async throws {
        let url = URL(fileURLWithPath: manifest)
        var loaded: Manifest
        do {
            let (read, problems) = try Manifest.read(from: url, displayName: manifest)
            guard problems.isEmpty else { throw ManifestError(problems: problems) }
            loaded = read
            adjust(&loaded.options)
            _ = try StageRegistry.standard.resolve(loaded.pipeline, options: loaded.options)
        } catch {
            FileHandle.standardError.write(Data("error: \(manifest): \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        if dryRun {
            // With credentials, the journal says what the run would do with each item; without, all is new.
            var actions: [String: String] = [:]
            let journalPath = journal.map { URL(fileURLWithPath: $0) } ?? IngestJournal.defaultPath(for: url)
            if let credentials = try? connection.loadCredentials(),
                FileManager.default.fileExists(atPath: journalPath.path)
            {
                let journal = try openJournal(for: url, credentials: credentials, endpoint: connection.endpoint)
                let entries = (try? journal.entries()) ?? [:]
                let plan = try? IngestPlan(manifest: loaded, journal: entries, pipeline: loaded.pipeline.map(\.name))
                for entry in plan?.entries ?? [] {
                    actions[entry.item.id] = entry.action.description
                }
            }
            let validation = ManifestValidation.run(url, displayName: manifest, adjust: adjust)
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
        // (a Secret that was not mounted) must fail, not report success against a sandbox.
        if credentials == nil,
            connection.credentials != nil || connection.endpoint != APIClientConfiguration.defaultEndpoint
        {
            FileHandle.standardError.write(
                Data("error: no credentials: set JW_API_KEY and JW_API_SECRET, or pass --credentials FILE\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let summary: RunSummary
        let ready = loaded
        if let credentials {
            let journal = try openJournal(for: url, credentials: credentials, endpoint: connection.endpoint)
            summary = try await ingest(ready, credentials: credentials, endpoint: connection.endpoint, journal: journal)
        } else {
            summary = try await Sandbox.withSandbox(SandboxConfiguration()) { sandbox in
                FileHandle.standardError.write(
                    Data(
                        ("no credentials (JW_API_KEY/JW_API_SECRET): ingesting into an embedded sandbox at "
                            + "\(sandbox.endpoint); nothing leaves this machine\n").utf8))
                return try await ingest(
                    ready, credentials: sandbox.credentials, endpoint: sandbox.endpoint, journal: nil)
            }
        }
        try writeReports(summary)
        throw ExitCode(summary.exitCode)
    }

    /// The journal of this manifest for this account and endpoint, with interrupted track creates
    /// forgotten when asked.
    private func openJournal(for manifest: URL, credentials: APICredentials, endpoint: String) throws -> IngestJournal {
        do {
            let journal = try JournalOptions.open(
                manifest: manifest, path: self.journal, credentials: credentials, endpoint: endpoint)
            if forgetPendingTracks {
                for entry in try journal.entries().values {
                    var state = try entry.state()
                    guard !state.tracksPending.isEmpty else { continue }
                    state.tracksPending = []
                    try journal.record(
                        state, status: entry.status, fingerprint: entry.fingerprint, error: entry.lastError)
                }
            }
            return journal
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
    }

    private func ingest(
        _ manifest: Manifest, credentials: APICredentials, endpoint: String, journal: IngestJournal?
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
        let runner = try IngestRunner(manifest: manifest, client: client, journal: journal)
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
                sum
                    + ((item.file.flatMap { try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] }
                        as? NSNumber)?.int64Value ?? 0)
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
