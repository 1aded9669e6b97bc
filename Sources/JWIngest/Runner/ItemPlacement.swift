import JWPlatform

/// The built-in stages: for a small file, their work is small reads and awaits, and never blocks a thread.
protocol NonBlockingStage: Stage {}

extension ValidateStage: NonBlockingStage {}
extension CreateStage: NonBlockingStage {}
extension UploadStage: NonBlockingStage {}
extension VerifyStage: NonBlockingStage {}
extension ThumbnailStage: NonBlockingStage {}
extension TracksStage: NonBlockingStage {}
extension WaitReadyStage: NonBlockingStage {}

/// Where a run's items do their work: small items of a pipeline of built-in stages on the HTTP client's
/// event loop (when the run's clients use it), every other item on Swift's global executor.
///
/// On the loop, an item's calls start on the thread that serves their connections and its answers resume
/// it there, instead of waking a thread of the global executor each way. For 1,000 small items that was a
/// quarter fewer thread switches at concurrency 1 and 4, and about 6 % less CPU per item at concurrency 4
/// (`perf stat`, alternating runs; at concurrency 1 the CPU moved less than the runs' noise) (issue 14).
/// A large file stays off the loop: its reads and hashing would hold up every other item's transfers. So
/// does every item of a pipeline with a stage of your own, which may block.
struct ItemPlacement: Sendable {
    /// The largest file an item may have to run on the loop.
    static let largestFileOnLoop: Int64 = 1 << 20

    /// Whether every stage of the pipeline is a built-in one, and the run's HTTP clients serve their
    /// connections on the loop of ``JWPlatformHTTPClient/taskExecutor`` (a client of your own on another
    /// group would gain nothing there).
    let loopAllowed: Bool

    init(stages: [any Stage], clientsOnLoop: Bool = true) {
        loopAllowed = clientsOnLoop && stages.allSatisfy { $0 is any NonBlockingStage }
    }

    /// The executor a worker of the run starts on: the loop when the pipeline allows it, else the global
    /// one (nil).
    var workerExecutor: (any TaskExecutor)? {
        loopAllowed ? JWPlatformHTTPClient.taskExecutor : nil
    }

    /// Whether `item` runs on the loop: a pipeline of built-in stages, and no file or one of at most
    /// ``largestFileOnLoop`` bytes (a file that cannot be looked at is left to `validate`, off the loop).
    /// One `stat` of the file, on the worker's thread, like `validate`'s reads of a small file after it.
    func runsOnLoop(_ item: IngestItem) -> Bool {
        guard loopAllowed else { return false }
        guard let file = item.file else { return true }
        guard let size = FileStatus.size(ofPath: file.path) else { return false }
        return size <= Self.largestFileOnLoop
    }

    /// Runs `work` where `item` belongs, the caller being a worker started on ``workerExecutor``.
    /// Only an item that does not belong on the loop moves, off a worker that is on it.
    func run<Result: Sendable>(_ item: IngestItem, _ work: () async -> Result) async -> Result {
        guard loopAllowed, !runsOnLoop(item) else { return await work() }
        return await withTaskExecutorPreference(globalConcurrentExecutor) { await work() }
    }
}
