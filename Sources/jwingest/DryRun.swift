import Foundation
import JWIngest

/// The printed result of `jwingest validate` and `jwingest run --dry-run`.
enum DryRun {
    /// Prints the plan of every item and every problem; returns the exit status (0 valid, 2 problems).
    ///
    /// - Parameter actions: What the journal says a run would do per item id (`create` when absent).
    static func print(_ validation: ManifestValidation, plan: Bool = true, actions: [String: String] = [:]) -> Int32 {
        var lines: [String] = []
        if plan, let manifest = validation.manifest {
            let stages = manifest.pipeline.map(\.name).joined(separator: " → ")
            lines.append(
                "\(manifest.items.count) item\(manifest.items.count == 1 ? "" : "s"); pipeline: \(stages); "
                    + "upload \(manifest.options.uploadMethod), format \(manifest.options.apiFormat), "
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
