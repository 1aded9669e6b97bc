import Foundation
import MediaProbe
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process started by MediaProbe's ``CleanSpawn``: its signal mask empty, every signal's
/// disposition the default, only its standard streams open.
///
/// Foundation's `Process` passes on the spawning thread's signal mask, and the test runner's threads
/// block nearly every signal: a child started that way ignores SIGTERM and outlives the suite. Every
/// program the tests start goes through this type, so that `terminate()` stops it.
public final class SpawnedProcess: Sendable {
    /// The child's pid.
    public let processIdentifier: pid_t
    /// The program and its arguments, as a shell would show them (for messages).
    public let commandLine: String
    private let status = Mutex<Int32?>(nil)

    /// Starts `executable` with `arguments` and the environment `environment` (the whole of it), its
    /// standard streams on the given descriptors (`nil`: `/dev/null`).
    ///
    /// - Throws: ``SpawnError`` when the program cannot be started.
    public init(
        _ executable: URL, _ arguments: [String], environment: [String: String],
        standardInput: Int32? = nil, standardOutput: Int32? = nil, standardError: Int32? = nil
    ) throws {
        commandLine = ([executable.lastPathComponent] + arguments).joined(separator: " ")
        do {
            processIdentifier = try CleanSpawn.start(
                executable.path, arguments, environment: environment, standardInput: standardInput,
                standardOutput: standardOutput, standardError: standardError)
        } catch let error as CleanSpawnError {
            throw SpawnError(program: error.program, reason: error.reason)
        }
    }

    /// Whether the child has not ended yet (reaps it when it has).
    public var isRunning: Bool {
        status.withLock { status in
            guard status == nil else { return false }
            var raw: Int32 = 0
            guard waitpid(processIdentifier, &raw, WNOHANG) == processIdentifier else { return true }
            status = Self.exitStatus(raw)
            return false
        }
    }

    /// The exit status (128 + the signal for a child ended by one); -1 while it runs.
    public var terminationStatus: Int32 {
        _ = isRunning
        return status.withLock { $0 } ?? -1
    }

    /// Sends SIGTERM.
    public func terminate() { _ = kill(processIdentifier, SIGTERM) }

    /// Sends `signal`.
    public func signal(_ signal: Int32) { _ = kill(processIdentifier, signal) }

    /// How long ``waitForExit(within:)`` waits unless told otherwise: far beyond any test's child, short
    /// of CI's limit, so that a child that hangs fails its test instead of stalling the whole suite.
    public static let longestWait: Duration = .seconds(300)

    /// Waits for the child to end without blocking a thread of the cooperative pool. A child still
    /// running after `limit`, or when the waiting task is cancelled (a test's time limit), is killed with
    /// SIGKILL and said so on standard error; its status is then 137.
    @discardableResult
    public func waitForExit(within limit: Duration = SpawnedProcess.longestWait) async -> Int32 {
        let deadline = ContinuousClock.now + limit
        while isRunning {
            if ContinuousClock.now >= deadline || Task.isCancelled {
                signal(SIGKILL)
                let reason = Task.isCancelled ? "its test was cancelled" : "it ran longer than \(limit)"
                FileHandle.standardError.write(
                    Data("JWTestSupport: killed pid \(processIdentifier) (\(commandLine)): \(reason)\n".utf8))
                while isRunning { usleep(1000) }
                break
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return terminationStatus
    }

    private static func exitStatus(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}

/// A program could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    /// The program.
    public var program: String
    /// Why.
    public var reason: String

    public var description: String { "cannot start \(program): \(reason)" }
}
