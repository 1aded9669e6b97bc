import AsyncHTTPClient
import NIOCore
import Synchronization

/// A request of AsyncHTTPClient's delegate API started on its event loop, so that the client's own work
/// (its request bag, deadline timer, connection pool and idle timer) happens there instead of reaching
/// the loop from the caller's thread several times, a wake-up of the loop each (issue 14). The caller
/// hands over once and is resumed once.
enum LoopStartedRequest {
    /// Sends `request` on one of `httpClient`'s event loops with `delegate`, its whole exchange bounded by
    /// `deadline`, and returns what the delegate made of the answer. Cancelling the calling task cancels
    /// the request, also when it has not started yet.
    ///
    /// - Throws: What AsyncHTTPClient or the delegate report.
    static func send<Delegate: HTTPClientResponseDelegate & Sendable>(
        _ request: HTTPClient.Request, with httpClient: HTTPClient, delegate: Delegate, deadline: NIODeadline
    ) async throws -> Delegate.Response {
        let loop = httpClient.eventLoopGroup.next()
        let handle = Handle<Delegate.Response>()
        return try await withTaskCancellationHandler {
            try await loop.flatSubmit {
                let task = httpClient.execute(
                    request: request, delegate: delegate, eventLoop: .delegate(on: loop), deadline: deadline,
                    logger: nil)
                handle.started(task)
                return task.futureResult
            }.get()
        } onCancel: {
            handle.cancel()
        }
    }

    /// The started task, for a cancellation that may come before or after it starts.
    private final class Handle<Response: Sendable>: Sendable {
        private let state = Mutex<(task: HTTPClient.Task<Response>?, cancelled: Bool)>((nil, false))

        func started(_ task: HTTPClient.Task<Response>) {
            let cancelled = state.withLock { state in
                state.task = task
                return state.cancelled
            }
            if cancelled { task.cancel() }
        }

        func cancel() {
            let task = state.withLock { state in
                state.cancelled = true
                return state.task
            }
            task?.cancel()
        }
    }
}
