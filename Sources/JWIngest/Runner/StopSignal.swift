import Synchronization

/// Set when the run should stop starting work (SIGINT/SIGTERM through the service group, or a caller's
/// ``IngestRunner/stop()``): items not started stay unstarted, running ones stop at their next checkpoint.
final class StopSignal: Sendable {
    private let stopped = Mutex(false)

    func stop() { stopped.withLock { $0 = true } }

    var isStopped: Bool { stopped.withLock { $0 } }
}

/// One run's own reasons to stop: a refusal of the account, too many failed items. The first reason wins;
/// the runner's ``StopSignal`` (a graceful shutdown) is checked beside it.
final class RunControl: Sendable {
    private let state = Mutex((stop: RunStop?.none, failures: 0))
    let signal: StopSignal
    let maxFailures: Int?

    init(signal: StopSignal, maxFailures: Int?) {
        self.signal = signal
        self.maxFailures = maxFailures
    }

    /// Whether no item may start any more, or a waiting stage should give up.
    var isStopped: Bool { signal.isStopped || stop != nil }

    /// Why the run stopped, when it stopped itself.
    var stop: RunStop? { state.withLock { $0.stop } }

    /// Stops the run for `stop`, unless it stopped already.
    func stop(_ stop: RunStop) {
        state.withLock { state in
            if state.stop == nil { state.stop = stop }
        }
    }

    /// Counts a failed item; stops the run when the count reaches ``maxFailures``.
    func countFailure() {
        state.withLock { state in
            state.failures += 1
            if let maxFailures, state.failures >= maxFailures, state.stop == nil {
                state.stop = RunStop(
                    reason: .tooManyFailures,
                    message: "the run stopped after \(state.failures) failed item\(state.failures == 1 ? "" : "s"), "
                        + "the most it allows")
            }
        }
    }
}
