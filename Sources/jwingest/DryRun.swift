import Foundation
import JWIngest
import JWPlatform

/// The printed result of `jwingest validate` and `jwingest run --dry-run`.
enum DryRun {
    /// `run --dry-run`: every check of `validate`, and per item what a run would do, from the journal
    /// when there is one for these credentials (every item a create without one). No network call.
    ///
    /// - Parameter entries: The journal's entries when the caller read them (a shared journal); `nil` to
    ///   read the configuration's journal file.
    static func print(
        manifest: Manifest, at url: URL, displayName: String, entries given: [String: JournalEntry]? = nil,
        _ configuration: IngestRunner.Configuration
    ) async -> Int32 {
        var actions: [String: String] = [:]
        if let given,
            let plan = try? IngestPlan(manifest: manifest, journal: given, pipeline: manifest.pipeline.map(\.name))
        {
            for entry in plan.entries { actions[entry.item.id] = entry.action.description }
        } else if given == nil,
            let account = manifest.options.api == .v2
                ? (try? configuration.credentials.resolveV2())??.siteID
                : (try? configuration.credentials.resolve())??.key,
            let file = configuration.journal.file(for: url), FileManager.default.fileExists(atPath: file.path),
            let journal = try? configuration.journal.open(
                manifest: url, account: account,
                endpoint: configuration.endpoint
                    ?? (manifest.options.api == .v2 ? V2Client.defaultEndpoint : APIClientConfiguration.defaultEndpoint)
            ),
            let entries = try? await journal.entries(),
            let plan = try? IngestPlan(manifest: manifest, journal: entries, pipeline: manifest.pipeline.map(\.name))
        {
            for entry in plan.entries { actions[entry.item.id] = entry.action.description }
        }
        let validation = ManifestValidation.run(
            url, displayName: displayName, overrides: configuration.manifestOverrides)
        return print(validation, actions: actions)
    }

    /// How files go: v1's method and format, or v2's direct and multipart rule.
    static func uploadSummary(_ options: ManifestOptions) -> String {
        guard options.api == .v2 else { return "upload \(options.uploadMethod), format \(options.apiFormat), " }
        return "api v2: direct under \(TerminalProgress.bytes(options.multipartThreshold)), else multipart in parts of "
            + "\(TerminalProgress.bytes(options.partSize)) (\(options.partConcurrency) in flight), "
    }

    /// Prints the plan of every item and every problem; returns the exit status (0 valid, 2 problems).
    ///
    /// - Parameter actions: What the journal says a run would do per item id (`create` when absent).
    static func print(_ validation: ManifestValidation, plan: Bool = true, actions: [String: String] = [:]) -> Int32 {
        var lines: [String] = []
        if plan, let manifest = validation.manifest {
            let stages = manifest.pipeline.map(\.name).joined(separator: " → ")
            lines.append(
                "\(manifest.items.count) item\(manifest.items.count == 1 ? "" : "s"); pipeline: \(stages); "
                    + uploadSummary(manifest.options)
                    + "concurrency \(manifest.options.concurrency)")
            for item in manifest.items {
                let check = validation.checks[item.id]
                var parts = ["\(item.kind) from \(item.source)"]
                if let size = check?.size { parts.append(TerminalProgress.bytes(size)) }
                if let duration = check?.media?.duration { parts.append(String(format: "%.2f s", duration)) }
                if item.thumbnail != nil { parts.append("thumbnail") }
                if !item.tracks.isEmpty {
                    parts.append("\(item.tracks.count) track\(item.tracks.count == 1 ? "" : "s")")
                }
                let verdict = check?.problems.isEmpty == false ? "WILL FAIL" : (actions[item.id] ?? "create")
                lines.append("  \(item.id): \(verdict) \(parts.joined(separator: ", "))")
            }
        }
        if validation.problems.isEmpty {
            lines.append("no problems found")
        } else {
            let count = validation.problems.count
            lines.append("\(count) problem\(count == 1 ? "" : "s"):")
            lines += validation.problems.map { "  \($0)" }
        }
        let text = lines.joined(separator: "\n") + "\n"
        FileHandle.standardOutput.write(Data(text.utf8))
        return validation.isValid ? ExitStatus.success : ExitStatus.usage
    }
}
