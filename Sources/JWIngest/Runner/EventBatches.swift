import Synchronization

/// A run's events on their way to its observers, in batches: whoever raises an event adds it without
/// waking anyone, and the delivery task takes what has gathered, looking again every
/// ``gatheringTime`` when nothing has.
///
/// An `AsyncStream` woke the delivery task for each event once it had caught up: a thread wake-up per
/// small item, for one progress line (issue 14). Events reach the observers at most ``gatheringTime``
/// late, in the order they were raised.
final class EventBatches: Sendable {
    /// How long the delivery task lets events gather when it has caught up.
    static let gatheringTime: Duration = .milliseconds(20)

    private let state = Mutex((events: [IngestEvent](), finished: false))

    /// Adds `event` after those already added.
    func add(_ event: IngestEvent) {
        state.withLock { $0.events.append(event) }
    }

    /// No event comes after those already added.
    func finish() {
        state.withLock { $0.finished = true }
    }

    /// The events added since the last call, in order, once there is at least one; nil when ``finish()``
    /// was called and every event was taken.
    func next() async -> [IngestEvent]? {
        while true {
            let (batch, finished) = state.withLock { state in
                let batch = state.events
                state.events = []
                return (batch, state.finished)
            }
            if !batch.isEmpty { return batch }
            if finished { return nil }
            try? await Task.sleep(for: Self.gatheringTime)
        }
    }
}
