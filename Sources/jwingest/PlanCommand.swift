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
            Compares the manifest with its journal (and, with --remote, with the platform, by \
            custom.ingest_id) and prints one line per item. Nothing is sent except, with --remote, the \
            pages of /videos/list. Exit codes: 0 printed; 1 the platform could not be asked; 2 usage or \
            manifest error.

            Example: jwingest plan manifests/demo.yaml --remote
            """)

    @Argument(help: "The manifest.") var manifest: String
    @Option(
        help: ArgumentHelp(
            "The journal: a file (default: .jwingest/journal.sqlite beside the manifest) or postgres://USER@HOST/DB "
                + "(also JWINGEST_JOURNAL).", valueName: "path|url"))
    var journal: String?
    @Flag(
        help:
            "Also ask the platform (one paged sweep by custom.ingest_id) which items the journal does not know exist there."
    )
    var remote = false
    @OptionGroup(title: "Manifest options") var overrideOptions: ManifestOverrideOptions
    @OptionGroup(title: "Picking items") var picking: ItemPickingOptions
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let url = URL(fileURLWithPath: manifest)
        var loaded: Manifest
        let entries: [String: JournalEntry]
        let full: Manifest
        let othersKeys: Set<String>
        do {
            loaded = try Manifest.load(from: url, displayName: manifest)
            try overrideOptions.overrides().apply(to: &loaded)
            full = loaded
            if picking.picks {
                let selection = try await picking.selection {
                    try await FailedItems.ids(
                        of: full, journal: try JournalArgument(journal, manifest: url),
                        account: connection.accountKey(api: full.options.api),
                        endpoint: connection.endpoint(api: full.options.api))
                }
                loaded = try selection.apply(to: loaded)
            }
            let api = loaded.options.api
            if remote, api == .v2 ? try connection.loadV2Credentials() == nil : try connection.loadCredentials() == nil
            {
                let variables = api == .v2 ? "JW_SITE_ID and JW_V2_API_SECRET" : "JW_API_KEY and JW_API_SECRET"
                throw UsageError(description: "--remote needs credentials: \(variables), or --credentials")
            }
            let remote = self.remote
            (entries, othersKeys) = try await JournalArgument(journal, manifest: url).read(
                full, account: connection.accountKey(api: api), endpoint: connection.endpoint(api: api)
            ) { journal, _ in
                (try await journal.entries(), remote ? try await journal.mediaKeysOfOtherManifests() : [])
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        var plan: IngestPlan
        do {
            // Items left out by picking are neither planned nor orphans; true orphans stay.
            let (picked, all) = (Set(loaded.items.map(\.id)), Set(full.items.map(\.id)))
            let shown = entries.filter { picked.contains($0.key) || !all.contains($0.key) }
            plan = try IngestPlan(manifest: loaded, journal: shown, pipeline: loaded.pipeline.map(\.name))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.failure)
        }
        if remote {
            // The same sweep as a run's: every page of the account's videos, paced by the list route's limit.
            let configuration = APIClientConfiguration(
                endpoint: connection.endpoint(api: loaded.options.api), security: connection.security,
                retry: RetryPolicy(maxAttempts: loaded.options.retries + 1), pacer: RouteRateLimiter())
            do {
                let found: RemoteIngestIndex
                if loaded.options.api == .v2, let v2 = try connection.loadV2Credentials() {
                    found = try await RemoteIngestIndex.sweep(
                        V2Client(
                            credentials: v2, configuration: configuration, httpClient: try connection.httpClient()),
                        ids: plan.idsToLookUp)
                } else if let credentials = try connection.loadCredentials() {
                    found = try await RemoteIngestIndex.sweep(
                        APIClient(
                            credentials: credentials, configuration: configuration,
                            httpClient: try connection.httpClient()), ids: plan.idsToLookUp)
                } else {
                    found = RemoteIngestIndex()
                }
                let index = found.excluding(othersKeys)
                plan.adopt(index, pipeline: loaded.pipeline.map(\.name))
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(ExitStatus.failure)
            }
        }
        var counts: [String: Int] = [:]
        var lines: [String] = []
        for entry in plan.entries {
            var text = "\(entry.item.id): \(entry.action)"
            if let key = entry.state.mediaKey { text += " [\(key)]" }
            if let video = entry.adopted {
                text +=
                    video.status == .created && entry.state.mediaKey == nil
                    ? "; on the platform already as \(video.key) without its file: replaced, not doubled"
                    : "; on the platform already as \(video.key): adopted, not created"
                if !entry.duplicates.isEmpty {
                    text += "; also as \(entry.duplicates.joined(separator: ", ")) (duplicates: delete them by hand)"
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
