import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import JWPlatform
import Logging
import NIOCore
import ServiceLifecycle

/// A local emulator of the JW Platform v1 API and upload server, and of the v2 Management API with its
/// direct and multipart uploads, as strict as the platform (API.md).
///
/// Start one in-process for a test, or for `jwingest run` without credentials:
///
/// ```swift
/// try await Sandbox.withSandbox { sandbox in
///     let client = APIClient(credentials: sandbox.credentials,
///                            configuration: APIClientConfiguration(endpoint: sandbox.endpoint))
///     …
///     let assets = await sandbox.assets()
/// }
/// ```
public final class Sandbox: Sendable {
    /// The API endpoint, e.g. `http://127.0.0.1:53122`.
    public let endpoint: String
    /// The credentials the sandbox accepts.
    public let credentials: APICredentials
    /// The site id and v2 secret its v2 API (`/v2/…`, `Authorization: Bearer`) accepts.
    public let v2Credentials: V2Credentials
    /// The folder that holds uploaded files.
    public let dataDirectory: URL
    let state: SandboxState

    init(
        endpoint: String, credentials: APICredentials, v2Credentials: V2Credentials, dataDirectory: URL,
        state: SandboxState
    ) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.v2Credentials = v2Credentials
        self.dataDirectory = dataDirectory
        self.state = state
    }

    /// Every asset, in the order they were created: keys, kinds, custom fields, stored MD5 and size, and
    /// how many uploads each received.
    public func assets() async -> [SandboxAsset] {
        await state.allAssets()
    }

    /// What each route answered so far: calls that ran, calls refused for the rate limit (429), and when
    /// the first and last ran.
    public func callTallies() async -> [String: CallTally] {
        await state.tallies
    }

    /// Starts a sandbox, runs `body` with it, and stops it.
    public static func withSandbox<Result: Sendable>(
        _ configuration: SandboxConfiguration = SandboxConfiguration(),
        _ body: (Sandbox) async throws -> Result
    ) async throws -> Result {
        let (starts, startContinuation) = AsyncStream.makeStream(of: Sandbox.self)
        let (service, storageToRemove) = try makeService(configuration) { sandbox in
            startContinuation.yield(sandbox)
            startContinuation.finish()
        }
        defer { if let storageToRemove { try? FileManager.default.removeItem(at: storageToRemove) } }
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [], logger: quietLogger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                // If the server stops or never starts (the port is taken), nobody waits for a start forever.
                defer { startContinuation.finish() }
                try await group.run()
            }
            var iterator = starts.makeAsyncIterator()
            guard let sandbox = await iterator.next() else {
                await group.triggerGracefulShutdown()
                do {
                    try await tasks.waitForAll()
                } catch {
                    throw SandboxStartError(reason: "the server did not start: \(error)")
                }
                throw SandboxStartError(reason: "the server did not start")
            }
            do {
                let result = try await body(sandbox)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// Runs a sandbox until SIGINT or SIGTERM; `onStart` is called once it listens.
    public static func run(
        _ configuration: SandboxConfiguration, onStart: @escaping @Sendable (Sandbox) -> Void
    ) async throws {
        let (service, storageToRemove) = try makeService(configuration, onStart: onStart)
        defer { if let storageToRemove { try? FileManager.default.removeItem(at: storageToRemove) } }
        let group = ServiceGroup(
            configuration: .init(
                services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: quietLogger))
        try await group.run()
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "jwsandbox")
        logger.logLevel = .critical
        return logger
    }

    /// The Hummingbird application of a sandbox, and the temporary folder to remove afterwards, if any.
    static func makeService(
        _ configuration: SandboxConfiguration, onStart: @escaping @Sendable (Sandbox) -> Void
    ) throws -> (any Service, URL?) {
        let storage: URL
        var temporary: URL?
        if let folder = configuration.dataDirectory {
            storage = folder
        } else {
            storage = FileManager.default.temporaryDirectory.appendingPathComponent("jwsandbox-\(UUID().uuidString)")
            temporary = storage
        }
        do {
            try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
        } catch {
            throw SandboxStartError(
                reason: "cannot create the data folder \(storage.path): \(error.localizedDescription)")
        }
        let state = SandboxState()
        let addressBox = AddressBox()
        let context = SandboxContext(
            configuration: configuration, state: state, storage: storage, addressBox: addressBox)
        let router = SandboxRouter.build(context: context)
        var server = HTTPServerBuilder.http1(
            configuration: .init(
                additionalChannelHandlers: [ReceiveSizeHandler(), ExpectContinueHandler()],
                idleTimeout: TimeAmount(configuration.idleTimeout)
            ))
        if let tls = configuration.tls { server = try .tls(server, tlsConfiguration: try tls.serverConfiguration()) }
        let scheme = configuration.tls == nil ? "http" : "https"
        let app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
                addressBox.set("\(host):\(port)")
                onStart(
                    Sandbox(
                        endpoint: "\(scheme)://\(host):\(port)", credentials: configuration.credentials,
                        v2Credentials: configuration.v2Credentials, dataDirectory: storage, state: state))
            },
            logger: quietLogger)
        return (app, temporary)
    }
}

/// A sandbox that could not start: the port is taken, the data folder cannot be made.
public struct SandboxStartError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var reason: String
    public var description: String { "sandbox: \(reason)" }
}
