import ArgumentParser
import Foundation

/// The `jwingest` command: moves media into JW Platform in bulk.
@main
struct JWIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jwingest",
        abstract: "Move media into JW Platform in bulk.",
        discussion: """
            Exit codes: 0 success; 1 some items failed, the platform answered an error or an answer could \
            not be read; 2 usage or manifest error (bad arguments, missing credentials, a broken manifest); \
            3 interrupted (SIGINT/SIGTERM; run again to finish); 4 the run's time budget (--max-duration) was \
            spent with items left (run again to continue).

            Shell completions: jwingest --generate-completion-script bash|zsh|fish (see the README).

            Example: jwingest run manifests/demo.yaml
            """,
        version: "0.1.0",
        subcommands: [
            RunCommand.self, ValidateCommand.self, PlanCommand.self, StatusCommand.self, CallCommand.self,
            ProbeCommand.self, SandboxCommand.self, ReportCommand.self, CheckCommand.self, ScanCommand.self,
        ]
    )

    /// Runs the command; argument errors exit with 2 so that scripts can tell them from failed calls.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}

/// The exit statuses `jwingest` documents.
enum ExitStatus {
    /// Everything asked succeeded.
    static let success: Int32 = 0
    /// The platform answered an error, or an answer could not be read.
    static let failure: Int32 = 1
    /// Bad arguments, a missing or broken credentials file.
    static let usage: Int32 = 2
    /// SIGINT or SIGTERM stopped a run; running it again finishes it.
    static let interrupted: Int32 = 3
    /// The run's time budget was spent with items left; running it again continues.
    static let budgetReached: Int32 = 4
}
