import NIOCore

/// A task executor that runs its jobs on one NIO event loop.
///
/// A task that prefers it (`withTaskExecutorPreference(_:operation:)`, `TaskGroup.addTask(executorPreference:)`)
/// starts its requests on the loop that serves their connections and is resumed there by their answers:
/// no thread wake-up on either side of a call. Only work that never blocks belongs here: a blocking call
/// stalls every connection of the loop.
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop that runs the jobs.
    public let eventLoop: any EventLoop

    /// Whether the calling thread is the loop's.
    public var isCurrent: Bool { eventLoop.inEventLoop }

    /// An executor on `eventLoop`.
    public init(eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    /// Runs `job` on the loop, after what the loop already has to do.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
