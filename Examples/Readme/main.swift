import Foundation
import JWIngest

// The README's library example: a safe run in a few lines. Credentials from JW_API_KEY/JW_API_SECRET,
// the journal beside the manifest (a second run resumes and never creates twice), calls paced by the
// platform's rate limits, and retries done once, by the stages.
let manifest = try Manifest.load(from: URL(fileURLWithPath: CommandLine.arguments[1]))
var configuration = IngestRunner.Configuration()
configuration.observers = [PlainProgress()]
let runner = try IngestRunner(manifest: manifest, configuration: configuration)
let summary = try await runner.ingest()
exit(summary.exitCode)
