import Foundation
import PostgresNIO

/// A worker of a shared run, as the database knows it: for `jwingest status`.
public struct SharedWorker: Sendable, Hashable {
    /// Host, pid and a random part.
    public var id: String
    /// The host it runs on.
    public var host: String
    /// Its process id there.
    public var pid: Int
    /// When it joined the run.
    public var started: Date
    /// Its last heartbeat.
    public var heartbeat: Date
    /// When it stopped gracefully; `nil` while it runs (or when it died).
    public var stopped: Date?
    /// Items it finished (ingested, unchanged or failed).
    public var itemsDone: Int
    /// Items it holds now.
    public var leased: Int
    /// Whether it is alive: not stopped, and its last heartbeat within a lease.
    public var isLive: Bool

    /// Items finished per second, from its start to its last heartbeat.
    public var itemsPerSecond: Double {
        let seconds = heartbeat.timeIntervalSince(started)
        return seconds > 0 ? Double(itemsDone) / seconds : 0
    }
}

extension PostgresJournal {
    /// The run's workers, live ones first, then by start.
    public func workers() async throws -> [SharedWorker] {
        let milliseconds = Int(leaseLength.components.seconds * 1000)
        var workers: [SharedWorker] = []
        for try await (id, host, pid, started, heartbeat, stopped, done, leased, live) in try await client.query(
            """
            SELECT w.worker_id, w.host, w.pid, w.started_at, w.heartbeat_at, w.stopped_at, w.items_done,
                (SELECT count(*) FROM jwingest_item i WHERE i.run_key = w.run_key AND i.lease_owner = w.worker_id
                    AND i.lease_expires > now())::int,
                w.stopped_at IS NULL AND w.heartbeat_at > now() - make_interval(secs => \(milliseconds) / 1000.0)
            FROM jwingest_worker w WHERE w.run_key = \(runKey)
            ORDER BY 9 DESC, w.started_at
            """, logger: logger
        ).decode((String, String, Int, Date, Date, Date?, Int, Int, Bool).self) {
            workers.append(
                SharedWorker(
                    id: id, host: host, pid: pid, started: started, heartbeat: heartbeat, stopped: stopped,
                    itemsDone: done, leased: leased, isLive: live))
        }
        return workers
    }

    /// Whether the database holds a run of this journal's manifest.
    func runExists() async throws -> Bool {
        var exists = false
        for try await (found) in try await client.query(
            "SELECT EXISTS (SELECT 1 FROM jwingest_run WHERE run_key = \(runKey))", logger: logger
        ).decode(Bool.self) {
            exists = found
        }
        return exists
    }
}
