import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process started with `posix_spawn`, its signal mask emptied and every signal's disposition
/// reset to the default.
///
/// Foundation's `Process` passes on the spawning thread's signal mask, and the test runner's threads
/// block nearly every signal: a child started that way ignores SIGTERM and outlives the suite. Every
/// program the tests start goes through this type, so that `terminate()` stops it.
public final class SpawnedProcess: Sendable {
    /// The child's pid.
    public let processIdentifier: pid_t
    private let status = Mutex<Int32?>(nil)

    /// Starts `executable` with `arguments` and the environment `environment` (the whole of it), its
    /// standard streams on the given descriptors (`nil`: `/dev/null`).
    ///
    /// - Throws: ``SpawnError`` when the program cannot be started.
    public init(
        _ executable: URL, _ arguments: [String], environment: [String: String],
        standardInput: Int32? = nil, standardOutput: Int32? = nil, standardError: Int32? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (descriptor, target) in [(standardInput, 0), (standardOutput, 1), (standardError, 2)] {
            if let descriptor {
                posix_spawn_file_actions_adddup2(&actions, descriptor, Int32(target))
            } else {
                posix_spawn_file_actions_addopen(
                    &actions, Int32(target), "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        // Only the three standard streams pass to the child: another pipe left open in it (another test's
        // child's input, say) would keep that pipe from ever reaching its end.
        #if os(Linux)
            // glibc 2.34 has it; Swift's Glibc module does not show it, so it is looked up.
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
                _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            }
        #endif
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        #if os(Linux)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        #else
            posix_spawnattr_setflags(
                &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_CLOEXEC_DEFAULT))
        #endif
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw SpawnError(program: executable.path, reason: String(cString: strerror(result)))
        }
        processIdentifier = pid
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

    /// Waits for the child to end without blocking a thread of the cooperative pool.
    @discardableResult
    public func waitForExit() async -> Int32 {
        while isRunning { try? await Task.sleep(for: .milliseconds(10)) }
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
