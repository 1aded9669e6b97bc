import Synchronization

/// How many decisions each scope's stream has given: the only mutable state of a ``FaultPlan``.
///
/// A class so that copies of a plan share their counts; a `Mutex` so that any thread may decide.
final class FaultCounters: Sendable {
    /// Decisions given so far, by stream key.
    private let counts = Mutex<[String: UInt64]>([:])

    /// The index of the next decision for `key`, counting it.
    func next(for key: String) -> UInt64 {
        counts.withLock { counts in
            let index = counts[key, default: 0]
            counts[key] = index &+ 1
            return index
        }
    }

    /// How many decisions `key` has given.
    func count(for key: String) -> UInt64 {
        counts.withLock { $0[key, default: 0] }
    }
}
