import ArgumentParser
import Foundation
import JWIngest
import JWIngestPostgres
import JWPlatform

/// `jwingest status MANIFEST`: the journal's counts and failures.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print the journal's counts for a manifest and each failed item with its last error.",
        discussion: """
            No call to the platform. With a shared journal (--journal postgres://…), also each worker of the run: \
            host, pid, items it holds, items done, last heartbeat and throughput. Exit codes: 0 printed; 2 usage, \
            manifest or journal error.

            Example: jwingest status manifests/nightly.yaml --journal postgres://ingest@db.internal/jwingest
            """)

    @Argument(help: "The manifest.") var manifest: String
    @Option(
        help: ArgumentHelp(
            "The journal: a file (default: .jwingest/journal.sqlite beside the manifest) or postgres://USER@HOST/DB "
                + "(also JWINGEST_JOURNAL).", valueName: "path|url"))
    var journal: String?
    @Option(
        help: ArgumentHelp(
            "The API generation the run used, when the command line chose it (run --api v2).",
            valueName: "generation"))
    var api: APIGeneration?
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let url = URL(fileURLWithPath: manifest)
        let loaded: Manifest
        let entries: [String: JournalEntry]
        var workers: [SharedWorker]?
        do {
            loaded = try Manifest.load(from: url, displayName: manifest)
            let generation = api ?? loaded.options.api
            let account = connection.accountKey(api: generation)
            (entries, workers) = try await JournalArgument(journal, manifest: url).read(
                loaded, account: account, endpoint: connection.endpoint(api: generation)
            ) { journal, shared in (try await journal.entries(), try await shared?.workers()) }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        var ingested = 0
        var running = 0
        var failed: [JournalEntry] = []
        for item in loaded.items {
            guard let entry = entries[item.id] else { continue }
            switch entry.status {
            case .ingested: ingested += 1
            case .failed: failed.append(entry)
            default: running += 1
            }
        }
        let ids = Set(loaded.items.map(\.id))
        let orphaned = entries.keys.filter { !ids.contains($0) }.count
        let notStarted = loaded.items.count - ingested - running - failed.count
        var lines = [
            "\(loaded.items.count) items: \(ingested) ingested, \(running) started and not finished, "
                + "\(failed.count) failed, \(notStarted) not started; \(orphaned) orphaned in the journal"
        ]
        for entry in failed.sorted(by: { $0.itemID < $1.itemID }) {
            lines.append("  \(entry.itemID): \(entry.lastError ?? "failed")")
        }
        if let workers { lines += Self.fleet(workers) }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// The workers of a shared run: the live ones, each on a line, and how many ended or died.
    static func fleet(_ workers: [SharedWorker], now: Date = Date()) -> [String] {
        let live = workers.filter(\.isLive)
        let stopped = workers.filter { $0.stopped != nil }.count
        let gone = workers.count - live.count - stopped
        var lines = ["workers: \(live.count) live, \(stopped) stopped, \(gone) gone silent (died or lost the database)"]
        for worker in live {
            let ago = Int(max(0, now.timeIntervalSince(worker.heartbeat)).rounded())
            lines.append(
                "  \(worker.host) pid \(worker.pid): \(worker.leased) leased, \(worker.itemsDone) done, "
                    + "heartbeat \(ago) s ago, \(String(format: "%.2f", worker.itemsPerSecond)) items/s")
        }
        return lines
    }
}
