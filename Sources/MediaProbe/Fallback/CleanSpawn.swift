import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts a program with `posix_spawn` so that it can always be stopped and inherits nothing by accident:
/// its signal mask empty and every signal's disposition the default (Foundation's `Process` passes on
/// the calling thread's blocked signals, and a service's threads block SIGTERM: such a child ignores
/// SIGTERM and outlives its parent), and only its three standard streams open.
public enum CleanSpawn {
    /// Starts `executable` with `arguments` and exactly `environment`, its standard streams on the given
    /// descriptors (`nil`: `/dev/null`).
    ///
    /// - Returns: The child's pid; the caller reaps it (`waitpid`).
    /// - Throws: ``CleanSpawnError`` when it cannot be started.
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String],
        standardInput: Int32? = nil, standardOutput: Int32? = nil, standardError: Int32? = nil
    ) throws -> pid_t {
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
        #if os(Linux)
            // Only the standard streams pass on: a pipe of another child left open in this one would never
            // reach its end. glibc 2.34 has the call; Swift's Glibc module does not show it, so it is looked up.
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
                _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            }
        #endif
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        #if os(Linux)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        #else
            posix_spawnattr_setflags(
                &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_CLOEXEC_DEFAULT))
        #endif
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw CleanSpawnError(program: executable, reason: String(cString: strerror(result))) }
        return pid
    }
}

/// A program could not be started.
public struct CleanSpawnError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The program.
    public var program: String
    /// Why.
    public var reason: String

    public var description: String { "cannot start \(program): \(reason)" }
}
