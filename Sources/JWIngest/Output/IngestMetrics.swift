import Foundation
import Metrics
import Synchronization

/// Reports a run through swift-metrics, to whatever backend the program bootstrapped (Prometheus in
/// `jwingest run --metrics-port`):
///
/// - `jwingest_items_total{outcome}`: items finished, by outcome;
/// - `jwingest_bytes_sent_total`: bytes of media files sent;
/// - `jwingest_stage_duration_seconds{stage}`: each stage's time, as a timer;
/// - `jwingest_retries_total{stage}` and `jwingest_rate_limit_waits_total{route}`;
/// - `jwingest_items_in_flight`: items started and not finished;
/// - `jwingest_api_calls_total{route, status}` is counted by the clients themselves.
///
/// ```swift
/// configuration.observers.append(IngestMetrics())
/// ```
public final class IngestMetrics: IngestObserver {
    private let sentSoFar = Mutex<[String: Int64]>([:])
    private let bytes = Counter(label: "jwingest_bytes_sent_total")
    private let inFlight = Gauge(label: "jwingest_items_in_flight")
    private let started = Mutex<Set<String>>([])

    /// Creates the observer; the metrics go to the bootstrapped `MetricsSystem`.
    public init() {}

    /// The kinds it counts.
    public var observedKinds: IngestEvent.Kinds {
        [.itemStarted, .itemFinished, .stageFinished, .bytesSent, .retry, .rateLimited]
    }

    /// Records one event.
    public func observe(_ event: IngestEvent) async {
        switch event.kind {
        case .itemStarted(let item):
            inFlight.record(
                started.withLock { items in
                    items.insert(item)
                    return items.count
                })
        case .itemFinished(let item, let outcome):
            Counter(label: "jwingest_items_total", dimensions: [("outcome", outcome.name)]).increment()
            sentSoFar.withLock { _ = $0.removeValue(forKey: item) }
            // Items never started (unchanged, refused, not reached) finish too: only started ones count.
            inFlight.record(
                started.withLock { items in
                    items.remove(item)
                    return items.count
                })
        case .stageFinished(_, let stage, let seconds):
            Timer(label: "jwingest_stage_duration_seconds", dimensions: [("stage", stage)])
                .recordNanoseconds(Int64(seconds * 1e9))
        case .bytesSent(let item, let sent, _):
            // Progress is a running total per send; a new send of the item starts again from its own zero.
            let added = sentSoFar.withLock { totals in
                let before = totals[item] ?? 0
                totals[item] = sent
                return sent >= before ? sent - before : sent
            }
            if added > 0 { bytes.increment(by: added) }
        case .retry(_, let stage, _, _, _):
            Counter(label: "jwingest_retries_total", dimensions: [("stage", stage)]).increment()
        case .rateLimited(_, _, let route, _):
            Counter(label: "jwingest_rate_limit_waits_total", dimensions: [("route", route)]).increment()
        default:
            break
        }
    }
}
