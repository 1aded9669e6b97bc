import Foundation
import Synchronization

/// Progress as plain lines, for pipes, logs and `NO_COLOR`: one line per finished item, per retry and
/// per rate-limit wait, and a summary line.
public final class PlainProgress: IngestObserver {
    private let handle: FileHandle
    private let finished = Mutex((done: 0, total: 0))

    /// Writes to `handle` (standard output by default).
    public init(handle: FileHandle = .standardOutput) { self.handle = handle }

    /// The kinds it writes a line for.
    public var observedKinds: IngestEvent.Kinds {
        [.runStarted, .remoteChecked, .itemFinished, .itemAbandoned, .retry, .rateLimited, .runFinished]
    }

    /// Handles one event.
    public func observe(_ event: IngestEvent) async {
        guard let line = line(for: event) else { return }
        handle.write(Data((line + "\n").utf8))
    }

    func line(for event: IngestEvent) -> String? {
        switch event.kind {
        case .runStarted(let items, let endpoint):
            finished.withLock { $0.total = items }
            return "ingesting \(items) item\(items == 1 ? "" : "s") into \(endpoint)"
        case .remoteChecked(let items, let found, let pages):
            return "asked the platform for \(items) item\(items == 1 ? "" : "s") the journal does not know: "
                + "\(found) found and adopted (\(pages) page\(pages == 1 ? "" : "s") of /videos/list)"
        case .itemFinished(let item, let outcome):
            let (done, total) = finished.withLock { state -> (Int, Int) in
                state.done += 1
                return (state.done, state.total)
            }
            let prefix = "[\(done)/\(total)] \(item)"
            switch outcome {
            case .ingested(let key): return "\(prefix): ingested" + (key.map { " as \($0)" } ?? "")
            case .unchanged: return nil
            case .failed(let error):
                return "\(prefix): FAILED at \(error.stage): \(error.message)" + Self.comparison(error)
            case .interrupted(let stage): return "\(prefix): interrupted" + (stage.map { " after \($0)" } ?? "")
            }
        case .itemAbandoned(let item, let reason):
            return "\(item): left for another worker (or a later lease): \(reason)"
        case .retry(let item, let stage, let attempt, let delay, let reason):
            return "\(item): \(stage) attempt \(attempt) in \(String(format: "%.1f", delay)) s after: \(reason)"
        case .rateLimited(let item, _, let route, let until):
            return
                "\(item): rate limit on \(route); waiting \(String(format: "%.1f", max(0, until.timeIntervalSinceNow))) s"
        case .runFinished(let ingested, let unchanged, let failed, let interrupted, let seconds):
            let skipped = unchanged > 0 ? ", \(unchanged) unchanged since an earlier run" : ""
            return "done in \(String(format: "%.1f", seconds)) s: \(ingested) ingested\(skipped), \(failed) failed, "
                + "\(interrupted) interrupted"
        default:
            return nil
        }
    }

    static func comparison(_ error: IngestError) -> String {
        guard let expected = error.expected, let seen = error.seen else { return "" }
        return " (expected \(expected), saw \(seen))"
    }
}
