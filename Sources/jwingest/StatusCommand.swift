import ArgumentParser
import Foundation
import JWIngest
import JWPlatform

/// `jwingest status MANIFEST`: the journal's counts and failures.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print the journal's counts for a manifest and each failed item with its last error.",
        discussion: "No network call. Exit codes: 0 printed; 2 usage or manifest error.")

    @Argument(help: "The manifest.") var manifest: String
    @Option(
        help: ArgumentHelp("The journal (default: .jwingest/journal.sqlite beside the manifest).", valueName: "path"))
    var journal: String?
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let url = URL(fileURLWithPath: manifest)
        let loaded: Manifest
        let entries: [String: JournalEntry]
        do {
            loaded = try Manifest.load(from: url, displayName: manifest)
            let journal = try SQLiteJournal(
                path: self.journal.map { URL(fileURLWithPath: $0) } ?? SQLiteJournal.defaultPath(for: url),
                manifest: url, account: try connection.loadCredentials()?.key ?? "-", endpoint: connection.endpoint)
            entries = try await journal.entries()
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
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
