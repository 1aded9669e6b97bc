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

    private let state = Mutex((events: [IngestEvent](), finished: false, looks: 0))

    /// How many times the events were looked for so far, for tests.
    var looks: Int { state.withLock { $0.looks } }

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
                state.looks += 1
                return (batch, state.finished)
            }
            if !batch.isEmpty { return batch }
            if finished { return nil }
            if Task.isCancelled {
                // Every event is still delivered; a cancelled sleep would return at once and spin.
                await Task.detached { try? await Task.sleep(for: Self.gatheringTime) }.value
            } else {
                try? await Task.sleep(for: Self.gatheringTime)
            }
        }
    }
}
