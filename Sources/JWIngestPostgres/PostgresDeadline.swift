import Synchronization

/// The database did not answer an operation in time: the connection it went out on may have died with
/// its answer (a server restarted mid-run), and the worker goes on as after any database error.
public struct PostgresNoAnswerError: Error, Sendable, CustomStringConvertible {
    /// What was asked, e.g. `lease`.
    public var operation: String
    /// How long the worker waited.
    public var limit: Duration

    /// The text shown in messages and logs.
    public var description: String {
        "the database did not answer \(operation) within \(limit); the connection may have been cut"
    }
}

/// A time limit for the small queries of a run (leases, a row, a heartbeat, a rate-limit window).
///
/// postgres-nio (1.33) can leave a query waiting for ever when the pool hands it a connection that is
/// closing as the server restarts: the write fails unseen and the query's answer never comes, and
/// cancelling its task does not end the wait. A worker then stopped leasing with items left (seen once in
/// the fleet test that restarts the database). The limit does not rely on cancellation: the caller is
/// resumed with ``PostgresNoAnswerError`` and the stuck query is left behind.
enum PostgresDeadline {
    /// The limit of each bounded operation: far above what any of them takes on a live server.
    static let standard: Duration = .seconds(60)

    /// Runs `body` and returns its result, or throws ``PostgresNoAnswerError`` naming `operation` when it
    /// has not ended within `limit`. Cancelling the caller cancels `body`.
    static func answered<Result: Sendable>(
        _ operation: String, within limit: Duration = standard,
        _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let race = Race<Result>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                race.waiting.withLock { $0 = continuation }
                let timer = Task {
                    try? await Task.sleep(for: limit)
                    guard !Task.isCancelled else { return }
                    race.finish(.failure(PostgresNoAnswerError(operation: operation, limit: limit)))
                    race.work.withLock { $0 }?.cancel()
                }
                let task = Task {
                    let outcome: Swift.Result<Result, any Error>
                    do {
                        outcome = .success(try await body())
                    } catch {
                        outcome = .failure(error)
                    }
                    timer.cancel()
                    race.finish(outcome)
                }
                race.work.withLock { $0 = task }
                // Cancelled before the work was there for the handler to cancel.
                if Task.isCancelled { task.cancel() }
            }
        } onCancel: {
            race.work.withLock { $0 }?.cancel()
        }
    }

    /// The caller's continuation, resumed once by whichever ends first, the work or the timer.
    private final class Race<Result: Sendable>: Sendable {
        let waiting = Mutex<CheckedContinuation<Result, any Error>?>(nil)
        let work = Mutex<Task<Void, Never>?>(nil)

        func finish(_ outcome: Swift.Result<Result, any Error>) {
            waiting.withLock { $0.take() }?.resume(with: outcome)
        }
    }
}
