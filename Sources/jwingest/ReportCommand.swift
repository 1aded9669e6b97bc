import ArgumentParser
import Foundation
import JWIngest
import JWPlatform

/// `jwingest report MANIFEST --journal … --junit FILE`: the whole run's report from its journal, whichever
/// workers ran its items, as JSON, JUnit XML or a self-contained HTML page.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the whole run's JSON report, JUnit XML and HTML page from its journal.",
        discussion: """
            Each worker's --report and --junit cover the items that worker ran; this covers every item of the \
            manifest as the journal records it: ingested (with its asset), failed (with its last error), or \
            not finished (interrupted). --html writes one self-contained page (no network fetch): totals, bytes \
            sent over time (each item placed at its last journal update), the items in a sortable table. The \
            journal keeps no stage times, so the page has none. No call to the platform. Exit codes: 0 every \
            item ingested; 1 some failed; 3 some not finished; 2 usage, manifest, journal or file error.

            Example: jwingest report manifests/nightly.yaml --junit junit.xml --html report.html
            """)

    @Argument(help: "The manifest.") var manifest: String
    @Option(
        help: ArgumentHelp(
            "The journal: a file (default: .jwingest/journal.sqlite beside the manifest) or postgres://USER@HOST/DB "
                + "(also JWINGEST_JOURNAL).", valueName: "path|url"))
    var journal: String?
    @Option(help: ArgumentHelp("Write the JSON report to this file.", valueName: "file.json")) var report: String?
    @Option(help: ArgumentHelp("Write the JUnit XML report to this file.", valueName: "file.xml")) var junit: String?
    @Option(
        help: ArgumentHelp(
            "Write a self-contained HTML report (totals, charts, sortable item table) to this file.",
            valueName: "file.html"))
    var html: String?
    @Option(
        help: ArgumentHelp(
            "The API generation the run used, when the command line chose it (run --api v2).",
            valueName: "generation"))
    var api: APIGeneration?
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard report != nil || junit != nil || html != nil else {
            throw ValidationError("give --report FILE, --junit FILE, --html FILE or any of them")
        }
    }

    func run() async throws {
        let url = URL(fileURLWithPath: manifest)
        let summary: RunSummary
        do {
            let loaded = try Manifest.load(from: url, displayName: manifest)
            let generation = api ?? loaded.options.api
            let account = connection.accountKey(api: generation)
            let entries = try await JournalArgument(journal, manifest: url).read(
                loaded, account: account, endpoint: connection.endpoint(api: generation)
            ) { journal, _ in try await journal.entries() }
            summary = RunSummary(
                journalOf: loaded, entries: entries,
                endpoint: Redaction.redact(url: connection.endpoint(api: generation)))
            try summary.writeReports(
                json: report.map { URL(fileURLWithPath: $0) }, junit: junit.map { URL(fileURLWithPath: $0) },
                html: html.map { URL(fileURLWithPath: $0) })
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        FileHandle.standardOutput.write(
            Data(
                ("\(summary.results.count) items: \(summary.ingested) ingested, \(summary.failed) failed, "
                    + "\(summary.interrupted) not finished\n").utf8))
        throw ExitCode(summary.exitCode)
    }
}
