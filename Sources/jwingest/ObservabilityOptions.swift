import ArgumentParser
import Foundation
import Hummingbird
import JWIngest
import JWPlatform
import Logging
import Metrics
import Prometheus

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// `--metrics-port`, `--metrics-address`, `--metrics-file`, `--log-level` and `--log-file`: how a run is
/// watched from a dashboard and read afterwards.
struct ObservabilityOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Serve the run's metrics in Prometheus text format at http://ADDRESS:PORT/metrics while it lasts.",
            valueName: "port"))
    var metricsPort: Int?
    @Option(help: ArgumentHelp("The address --metrics-port listens on.", valueName: "address"))
    var metricsAddress = "0.0.0.0"
    @Option(
        help: ArgumentHelp(
            "Write the final metrics to this file in node_exporter's textfile format (for cron jobs).",
            valueName: "file.prom"))
    var metricsFile: String?
    @Option(
        help: ArgumentHelp(
            "Log the run's events at this level and above: trace, debug, info, notice, warning, error.",
            valueName: "level"))
    var logLevel: Logger.Level?
    @Option(
        help: ArgumentHelp("Write the log as JSON lines to this file (default level info).", valueName: "file"))
    var logFile: String?

    func validate() throws {
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be 0 to 65535")
        }
    }

    /// What a run set up for these options: its observers, and what to do once it ends.
    struct Setup {
        var observers: [any IngestObserver] = []
        var registry: PrometheusCollectorRegistry?
        var server: Task<Void, any Error>?
        var logFile: FileHandle?
    }

    /// Bootstraps metrics and logging for the process, and starts the metrics server (it is listening when
    /// this returns).
    ///
    /// - Throws: `UsageError` when the log file cannot be opened or the metrics port cannot be listened on.
    func start() async throws -> Setup {
        var setup = Setup()
        if metricsPort != nil || metricsFile != nil {
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            setup.registry = registry
            setup.observers.append(IngestMetrics())
            if let metricsPort {
                setup.server = try await Self.serve(registry, address: metricsAddress, port: metricsPort)
            }
        }
        if logLevel != nil || logFile != nil {
            var handle: FileHandle?
            if let logFile {
                guard FileManager.default.createFile(atPath: logFile, contents: nil),
                    let opened = FileHandle(forWritingAtPath: logFile)
                else { throw UsageError(description: "cannot write the log file \(logFile)") }
                handle = opened
            }
            setup.logFile = handle
            let level = logLevel ?? .info
            var logger = Logger(label: "jwingest") { label in
                if let handle { return JSONLineLogHandler(label: label, handle: handle) }
                return StreamLogHandler.standardError(label: label)
            }
            logger.logLevel = level
            setup.observers.append(IngestLogging(logger: logger))
        }
        return setup
    }

    /// Stops the server and writes the metrics file.
    ///
    /// - Throws: `UsageError` when the metrics file cannot be written.
    func finish(_ setup: Setup) async throws {
        setup.server?.cancel()
        _ = await setup.server?.result
        try? setup.logFile?.close()
        if let metricsFile, let registry = setup.registry {
            do {
                try Data(registry.emitToBuffer()).write(to: URL(fileURLWithPath: metricsFile), options: .atomic)
            } catch {
                throw UsageError(description: "cannot write the metrics file \(metricsFile): \(error)")
            }
        }
    }

    /// Serves `GET /metrics` from `registry` until the task is cancelled; returns once it listens.
    ///
    /// - Throws: `UsageError` naming the address when the server cannot listen (a port in use).
    static func serve(
        _ registry: PrometheusCollectorRegistry, address: String, port: Int
    ) async throws -> Task<Void, any Error> {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        var quiet = Logger(label: "jwingest.metrics")
        quiet.logLevel = .critical
        let (started, signal) = AsyncStream.makeStream(of: String?.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname(address, port: port)),
            onServerRunning: { _ in signal.yield(nil) }, logger: quiet)
        let task = Task {
            do {
                try await app.runService(gracefulShutdownSignals: [])
            } catch {
                signal.yield("\(error)")
                throw error
            }
            signal.yield("it stopped")
        }
        var outcome: String?? = .none
        for await first in started {
            outcome = first
            break
        }
        if case .some(.some(let failure)) = outcome {
            task.cancel()
            throw UsageError(description: "cannot serve the metrics on \(address):\(port): \(failure)")
        }
        return task
    }
}

/// A swift-log handler that writes one JSON object a line: `time`, `level`, `label`, `message` and the
/// metadata's members, every text redacted.
struct JSONLineLogHandler: LogHandler {
    let label: String
    let handle: FileHandle
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, handle: FileHandle) {
        self.label = label
        self.handle = handle
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: String] = [
            "time": ISO8601DateFormatter().string(from: Date()), "level": event.level.rawValue, "label": label,
            "message": Redaction.redact(bodyText: event.message.description),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = Redaction.redact(bodyText: "\(value)")
        }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        line.append(0x0A)
        handle.write(line)
    }
}
