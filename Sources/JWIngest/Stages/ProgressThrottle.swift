import Foundation
import Synchronization

/// Turns per-chunk progress into `bytesSent` events at most ten times a second, plus the last one.
final class ProgressThrottle: Sendable {
    private let last = Mutex<ContinuousClock.Instant?>(nil)
    private let item: String
    private let total: Int64
    private let emit: @Sendable (IngestEvent.Kind) -> Void

    init(item: String, total: Int64, emit: @escaping @Sendable (IngestEvent.Kind) -> Void) {
        self.item = item
        self.total = total
        self.emit = emit
    }

    func report(_ sent: Int64) {
        let now = ContinuousClock.now
        let due = last.withLock { last -> Bool in
            guard sent >= total || last.map({ now - $0 >= .milliseconds(100) }) ?? true else { return false }
            last = now
            return true
        }
        if due { emit(.bytesSent(item: item, sent: sent, total: total)) }
    }
}
