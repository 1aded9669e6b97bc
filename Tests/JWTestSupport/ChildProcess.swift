import Foundation

/// The result of running a program to its end.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
    /// Whether the program was killed because it outlived the time it was given.
    public var timedOut = false
}

/// Runs programs built by this package or found on the PATH, for tests that use them as a user would.
public enum ChildProcess {
    /// The folder holding the package's built products (`.build/debug`), found from the test runner.
    public static var productsDirectory: URL {
        let runner = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = runner.deletingLastPathComponent()
        // On Linux the runner is `.build/debug/<Package>PackageTests.xctest`; elsewhere it may sit deeper.
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("jwingest").path),
            folder.pathComponents.count > 1
        {
            folder.deleteLastPathComponent()
        }
        return folder
    }

    /// The built `jwingest` executable.
    public static var jwingest: URL { productsDirectory.appendingPathComponent("jwingest") }

    /// The built example program of `Examples/CustomStage`.
    public static var ingestExample: URL { productsDirectory.appendingPathComponent("ingest-example") }

    /// Runs `executable` with `arguments` and `environment`, feeding `input` on standard input; kills it
    /// (SIGKILL) when it runs longer than `timeout` (``SpawnedProcess/longestWait`` when not given) and says
    /// so in ``ProcessResult/timedOut``.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], input: [UInt8] = [],
        timeout: Duration? = nil
    ) async throws -> ProcessResult {
        let output = Pipe()
        let errors = Pipe()
        let standardInput = Pipe()
        let process = try start(
            executable, arguments, environment: environment,
            standardInput: standardInput.fileHandleForReading.fileDescriptor,
            standardOutput: output.fileHandleForWriting.fileDescriptor,
            standardError: errors.fileHandleForWriting.fileDescriptor)
        // The child has its own copies: the ends left here would keep the pipes open.
        try output.fileHandleForWriting.close()
        try errors.fileHandleForWriting.close()
        try standardInput.fileHandleForReading.close()
        // Read both pipes while the program runs, so that a large output cannot block it, on Dispatch threads:
        // a blocking read on the cooperative pool (two threads here) would starve the servers under test.
        let exited: @Sendable () -> Bool = { !process.isRunning }
        async let outputBytes = readToEnd(output.fileHandleForReading, exited: exited)
        async let errorBytes = readToEnd(errors.fileHandleForReading, exited: exited)
        try? standardInput.fileHandleForWriting.write(contentsOf: Data(input))
        try standardInput.fileHandleForWriting.close()
        let limit = timeout ?? SpawnedProcess.longestWait
        let started = ContinuousClock.now
        let status = await process.waitForExit(within: limit)
        let timedOut = status == 128 + SIGKILL && ContinuousClock.now - started >= limit
        return ProcessResult(
            status: status, standardOutput: String(decoding: await outputBytes, as: UTF8.self),
            standardError: String(decoding: await errorBytes, as: UTF8.self), timedOut: timedOut)
    }

    /// Starts `executable` with `arguments`, in this process's environment without the API credentials,
    /// plus `environment`; its standard streams on the given descriptors (`nil`: `/dev/null`). Its signals
    /// are reset, so `terminate()` stops it (see ``SpawnedProcess``).
    public static func start(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        standardInput: Int32? = nil, standardOutput: Int32? = nil, standardError: Int32? = nil
    ) throws -> SpawnedProcess {
        var merged = ProcessInfo.processInfo.environment
        merged["JW_API_KEY"] = nil
        merged["JW_API_SECRET"] = nil
        merged["JW_SITE_ID"] = nil
        merged["JW_V2_API_SECRET"] = nil
        for (name, value) in environment { merged[name] = value }
        return try SpawnedProcess(
            executable, arguments, environment: merged, standardInput: standardInput,
            standardOutput: standardOutput, standardError: standardError)
    }

    /// Reads `handle` to its end on a thread of its own. A pipe whose writing end a grandchild inherited
    /// (a server the program started) would never end: once `exited` says the child is gone, what came
    /// within 10 more seconds is returned and the reader left to finish on its own.
    private static func readToEnd(_ handle: FileHandle, exited: @escaping @Sendable () -> Bool) async -> Data {
        let collected = PipeBytes()
        // A thread of its own: Dispatch's pool grows slowly on Linux when its threads block, so a dozen
        // programs read at once would wait their turn for a reader.
        Thread.detachNewThread {
            while true {
                let chunk = handle.availableData
                if collected.append(chunk) { return }
            }
        }
        var exitedAt: ContinuousClock.Instant?
        while !collected.ended {
            if exitedAt == nil, exited() { exitedAt = .now }
            if let exitedAt, ContinuousClock.now - exitedAt > .seconds(10) { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return collected.data
    }

    /// The first executable named `name` on the PATH.
    public static func which(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}

/// The bytes read from a pipe so far, shared between its reading thread and the waiting task.
private final class PipeBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = Data()
    private var done = false

    /// Adds `chunk`; an empty one is the pipe's end. Returns whether the pipe ended.
    func append(_ chunk: Data) -> Bool {
        lock.withLock {
            bytes.append(chunk)
            if chunk.isEmpty { done = true }
            return done
        }
    }

    var ended: Bool { lock.withLock { done } }
    var data: Data { lock.withLock { bytes } }
}
