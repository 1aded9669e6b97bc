// An example of a library user's program: it registers two stages of its own between the built-ins and
// runs a manifest with them.
//
//   swift run ingest-example manifests/demo.yaml keys.csv
//
// `require-title` refuses items whose title is empty before anything is sent; `record-key` appends each
// item's id and media key to a CSV file. The manifest's `pipeline:` list may name them; when it names
// none, this program puts them around the built-ins itself. With JW_API_KEY/JW_API_SECRET set it talks
// to the platform (JW_ENDPOINT to change) and keeps the journal beside the manifest, so that a second run
// resumes and creates nothing twice; without them it starts a sandbox in the process.
import Foundation
import JWIngest
import JWPlatform
import JWSandbox
import Synchronization

/// Refuses an item without a title before any network call.
struct RequireTitle: Stage {
    let name = "require-title"

    func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome {
        let title = context.item.metadata.title?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !title.isEmpty else {
            throw context.failure(
                "the item has no title; give it one in the manifest", expected: "a title", seen: "none")
        }
        state.values["title-checked"] = "yes"
        return .done
    }
}

/// Appends `id,key` to a CSV file once per item; the state remembers it, so a re-run does not repeat it.
struct RecordKey: Stage {
    let name = "record-key"
    let log: KeyLog

    var requirements: [String] { ["create"] }

    func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome {
        guard state.values["recorded"] == nil, let key = state.mediaKey else { return .done }
        try log.append(id: context.item.id, key: key)
        state.values["recorded"] = key
        return .done
    }
}

/// A CSV file of `id,key` lines that several items append to at once.
final class KeyLog: Sendable {
    let file: URL
    private let lock = Mutex(())

    init(file: URL) { self.file = file }

    func append(id: String, key: String) throws {
        try lock.withLock { _ in
            if !FileManager.default.fileExists(atPath: file.path) {
                try Data("id,key\n".utf8).write(to: file)
            }
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("\(id),\(key)\n".utf8))
        }
    }
}

@main
struct IngestExample {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let manifestPath = arguments.first else {
            FileHandle.standardError.write(Data("usage: ingest-example MANIFEST [KEYS.csv]\n".utf8))
            exit(2)
        }
        let keysFile = URL(fileURLWithPath: arguments.dropFirst().first ?? "keys.csv")
        var manifest = try Manifest.load(from: URL(fileURLWithPath: manifestPath))
        var registry = StageRegistry.standard
        registry.register(RequireTitle())
        registry.register(RecordKey(log: KeyLog(file: keysFile)))
        if !manifest.pipeline.contains(where: { $0.name == "require-title" }) {
            manifest.pipeline.insert(PipelineStep(name: "require-title"), at: 0)
        }
        if !manifest.pipeline.contains(where: { $0.name == "record-key" }) {
            let afterCreate = (manifest.pipeline.firstIndex { $0.name == "create" } ?? manifest.pipeline.count - 1) + 1
            manifest.pipeline.insert(PipelineStep(name: "record-key"), at: afterCreate)
        }
        var configuration = IngestRunner.Configuration()
        configuration.registry = registry
        configuration.observers = [PlainProgress()]
        configuration.endpoint = ProcessInfo.processInfo.environment["JW_ENDPOINT"]
        let summary: RunSummary
        let api = manifest.options.api
        switch try AccountChoice.choose(.environment, endpointGiven: configuration.endpoint != nil, api: api) {
        case .account, .v2Account:
            // The journal beside the manifest: a second run resumes, and creates nothing twice.
            summary = try await IngestRunner(manifest: manifest, configuration: configuration).ingest()
        case .sandbox:
            let (ready, shared) = (manifest, configuration)
            summary = try await Sandbox.withSandbox { @Sendable sandbox in
                print("no credentials: ingesting into a sandbox at \(sandbox.endpoint)")
                var local = shared
                local.credentials = .explicit(sandbox.credentials, v2: sandbox.v2Credentials)
                local.endpoint = sandbox.endpoint
                local.journal = .none  // the sandbox and what it holds end with this run
                local.remoteCheck = false
                return try await IngestRunner(manifest: ready, configuration: local).ingest()
            }
        }
        exit(summary.exitCode)
    }
}
