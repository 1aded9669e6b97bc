// A library user's program whose own stage has a side effect outside the platform (a line in a file per
// item) and leaves a typed value for a later stage. Killed at any instant and run again, the side effect
// happens once per item: the runner checkpoints the stage's value with the item's state, and the stage
// skips an item whose state shows it done.
//
//   JW_API_KEY=… JW_API_SECRET=… JW_ENDPOINT=… counting-example MANIFEST COUNT_FILE
import Foundation
import JWIngest

/// Appends the item's id to a file once, and keeps the number of that line for later stages.
struct CountRuns: Stage {
    static let line = StateKey<Int>("count-runs.line")
    let name = "count-runs"
    let file: URL
    var requirements: [String] { ["create"] }

    func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome {
        guard state[Self.line] == nil else { return .done }
        // Items run this stage at the same time: each line is one write to a file opened for appending, so
        // two never land at the same offset (a seek to the end, then a write, would let one overwrite the
        // other).
        let descriptor = open(file.path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw context.failure("cannot open \(file.path): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let line = Data("\(context.item.id)\n".utf8)
        try handle.write(contentsOf: line)
        state[Self.line] = Int(try handle.offset()) - line.count
        return .done
    }
}

/// Fails an item whose earlier stage left no value: the value must survive stops and resumes.
struct CheckCount: Stage {
    let name = "check-count"
    var requirements: [String] { ["count-runs"] }

    func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome {
        guard state[CountRuns.line] != nil else { throw context.failure("count-runs left no value") }
        return .done
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: counting-example MANIFEST COUNT_FILE\n".utf8))
    exit(2)
}
let countFile = URL(fileURLWithPath: arguments[2])
if !FileManager.default.fileExists(atPath: countFile.path) {
    FileManager.default.createFile(atPath: countFile.path, contents: nil)
}
var configuration = IngestRunner.Configuration()
configuration.registry.register(CountRuns(file: countFile))
configuration.registry.register(CheckCount())
configuration.endpoint = ProcessInfo.processInfo.environment["JW_ENDPOINT"]
configuration.observers = [PlainProgress()]
if let events = ProcessInfo.processInfo.environment["JW_EVENTS"],
    FileManager.default.createFile(atPath: events, contents: nil), let handle = FileHandle(forWritingAtPath: events)
{
    configuration.observers.append(NDJSONEventLog(handle: handle))
}
let manifest = try Manifest.load(from: URL(fileURLWithPath: arguments[1]))
let summary = try await IngestRunner(manifest: manifest, configuration: configuration).ingest()
exit(summary.exitCode)
