import ArgumentParser
import Foundation
import JWIngest
import JWPlatform

/// `jwingest plan MANIFEST`: what a run would do with each item, without doing it.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print what a run would do with each item: create, resume, update, unchanged, orphaned.",
        discussion: """
            Compares the manifest with its journal (and, with --remote, with the platform, by \\
            custom.ingest_id) and prints one line per item. Nothing is sent except, with --remote, \\
            /videos/list searches. Exit codes: 0 printed; 2 usage or manifest error.
            """)

    @Argument(help: "The manifest.") var manifest: String
    @Option(
        help: ArgumentHelp("The journal (default: .jwingest/journal.sqlite beside the manifest).", valueName: "path"))
    var journal: String?
    @Flag(help: "Also ask the platform which items to be created exist there already.") var remote = false
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let url = URL(fileURLWithPath: manifest)
        let loaded: Manifest
        let credentials: APICredentials?
        let entries: [String: JournalEntry]
        do {
            loaded = try Manifest.load(from: url, displayName: manifest)
            credentials = try connection.loadCredentials()
            if remote, credentials == nil {
                throw UsageError(
                    description: "--remote needs credentials: JW_API_KEY and JW_API_SECRET, or --credentials")
            }
            let journal = try JournalOptions.open(
                manifest: url, path: self.journal, credentials: credentials, endpoint: connection.endpoint)
            entries = try journal.entries()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let plan: IngestPlan
        do {
            plan = try IngestPlan(manifest: loaded, journal: entries, pipeline: loaded.pipeline.map(\.name))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.failure)
        }
        var client: APIClient?
        if remote, let credentials {
            client = APIClient(
                credentials: credentials,
                configuration: APIClientConfiguration(
                    endpoint: connection.endpoint, security: connection.security, pacer: RouteRateLimiter()))
        }
        var counts: [String: Int] = [:]
        var lines: [String] = []
        for entry in plan.entries {
            var text = "\(entry.item.id): \(entry.action)"
            if let key = entry.state.mediaKey { text += " [\(key)]" }
            if entry.action == .create, let client, entry.item.kind == .video {
                let found = try await client.listVideos(search: [("custom.ingest_id", entry.item.id)])
                let keys = found.videos.filter { $0.custom["ingest_id"] == entry.item.id }.map(\.key)
                if !keys.isEmpty {
                    text += "; on the platform already as \(keys.joined(separator: ", ")): adopted, not created"
                }
            }
            counts[Self.label(entry.action), default: 0] += 1
            lines.append(text)
        }
        for orphan in plan.orphaned {
            lines.append(
                "\(orphan.itemID): orphaned (in the journal, gone from the manifest) [\(orphan.mediaKey ?? "no asset")]"
            )
        }
        counts["orphaned"] = plan.orphaned.isEmpty ? nil : plan.orphaned.count
        let summary = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        lines.append("\(loaded.items.count) items: \(summary)")
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    static func label(_ action: IngestPlan.Action) -> String {
        switch action {
        case .create: return "to create"
        case .resume: return "to resume"
        case .update: return "to update"
        case .unchanged: return "unchanged"
        }
    }
}
