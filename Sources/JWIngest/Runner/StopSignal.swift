import Synchronization

/// Set when the run should stop starting work (SIGINT/SIGTERM through the service group, or a caller's
/// ``IngestRunner/stop()``): items not started stay unstarted, running ones stop at their next checkpoint.
final class StopSignal: Sendable {
    private let stopped = Mutex(false)

    func stop() { stopped.withLock { $0 = true } }

    var isStopped: Bool { stopped.withLock { $0 } }
}
