import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Testing

@testable import JWIngest

/// Watching a run: Prometheus metrics scraped by curl while it lasts and written to a textfile at its
/// end, and a JSON-lines log at `trace` in which no secret appears.
@Suite("metrics and logs of a run")
struct MetricsAndLoggingTests {
    /// The samples of a Prometheus text exposition, by series (`name{labels}`); every line that is not a
    /// comment must be a sample.
    static func samples(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                Issue.record("not a sample line: \(line)")
                continue
            }
            let series = String(line[..<space])
            #expect(
                series.range(of: #"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$"#, options: .regularExpression) != nil, "\(line)"
            )
            samples[series] = value
        }
        return samples
    }

    @Test("--metrics-port serves Prometheus text while the run lasts; --metrics-file keeps the final values")
    func metrics() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let manifest = try OperatorControlsTests.items(8, in: folder)
        let metricsFile = folder.appendingPathComponent("jwingest.prom")
        let events = folder.appendingPathComponent("events.ndjson")
        let curl = try #require(ChildProcess.which("curl"), "curl is needed (scripts/test.sh installs it)")
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "latency=250ms@api,503=10%@/videos/create", seed: 4)
        configuration.rateLimits = .off
        try await Sandbox.withSandbox(configuration) { sandbox in
            let port = try StaticFileServer.freePort()
            let process = try ChildProcess.start(
                ChildProcess.jwingest,
                [
                    "run", manifest.path, "--endpoint", sandbox.endpoint, "--no-progress", "--events", events.path,
                    "--metrics-port", String(port), "--metrics-address", "127.0.0.1", "--metrics-file",
                    metricsFile.path,
                ], environment: RunCommandTests.environment(sandbox))
            // Scraped mid-run, once an item has finished.
            try await FailureRunTests.waitFor("itemFinished", in: events, limit: 120)
            let scrape = try await ChildProcess.run(
                curl, ["-sS", "--max-time", "10", "http://127.0.0.1:\(port)/metrics"], timeout: .seconds(30))
            #expect(scrape.status == 0, "\(scrape.standardError)")
            #expect(process.isRunning, "the run ended before the scrape: make it slower")
            #expect(scrape.standardOutput.contains("# TYPE jwingest_items_total counter"), "\(scrape.standardOutput)")
            let live = try Self.samples(scrape.standardOutput)
            #expect((live[#"jwingest_items_total{outcome="ingested"}"#] ?? 0) >= 1, "\(live)")
            #expect(live.keys.contains { $0.hasPrefix("jwingest_api_calls_total{") })
            #expect(await process.waitForExit() == 0)

            let final = try Self.samples(String(contentsOf: metricsFile, encoding: .utf8))
            #expect(final[#"jwingest_items_total{outcome="ingested"}"#] == 8, "\(final)")
            #expect(
                final["jwingest_bytes_sent_total"]
                    == Double(8 * (try FileStatus(path: folder.appendingPathComponent("media/intro.mp4").path).size)))
            #expect((final[#"jwingest_api_calls_total{route="/videos/create",status="200"}"#] ?? 0) == 8, "\(final)")
            // Injected 503s on creates are counted by status, and retried.
            let refused = final[#"jwingest_api_calls_total{route="/videos/create",status="503"}"#] ?? 0
            #expect(final[#"jwingest_retries_total{stage="create"}"#] == (refused > 0 ? refused : nil))
            #expect(final.keys.contains { $0.hasPrefix(#"jwingest_stage_duration_seconds_bucket{stage="upload""#) })
            #expect(final[#"jwingest_stage_duration_seconds_count{stage="upload"}"#] == 8)
            #expect(final["jwingest_items_in_flight"] == 0)
        }
    }

    @Test("--log-level trace --log-file: JSON lines with item and stage, and never a secret or an upload token")
    func logging() async throws {
        let folder = try IngestFixtures.copyOfManifests()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let log = folder.appendingPathComponent("run.jsonl")
        try await Sandbox.withSandbox { sandbox in
            let run = try await ChildProcess.run(
                ChildProcess.jwingest,
                [
                    "run", folder.appendingPathComponent("demo.yaml").path, "--endpoint", sandbox.endpoint,
                    "--no-progress", "--log-level", "trace", "--log-file", log.path, "--upload-method", "s3",
                ], environment: RunCommandTests.environment(sandbox), timeout: .seconds(120))
            #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
            let text = try String(contentsOf: log, encoding: .utf8)
            let lines = text.split(separator: "\n")
            var levels: Set<String> = []
            for line in lines {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
                levels.insert(object["level"] ?? "")
                #expect(object["time"] != nil && object["message"] != nil)
            }
            #expect(levels.isSuperset(of: ["trace", "debug", "info"]), "\(levels)")
            #expect(text.contains(#""stage":"upload""#) && text.contains(#""item":"intro""#))
            let secret = sandbox.credentials.secret.withRevealedText { $0 }
            #expect(!text.contains(secret))
            let v2Secret = sandbox.v2Credentials.secret.withRevealedText { $0 }
            #expect(!text.contains(v2Secret))
            // No upload token or link signature, whatever the level.
            for pattern in [#"token=(?!<redacted>)"#, #"X-Amz-Signature=(?!<redacted>)"#, #"api_signature="#] {
                #expect(text.range(of: pattern, options: .regularExpression) == nil, "\(pattern)")
            }
        }
    }

    @Test("a metrics port already in use is an error before anything is sent (exit 2), naming the address")
    func metricsPortInUse() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-metrics-port")
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try await StaticFileServer.start(serving: folder)
        defer { server.stop() }
        let port = try #require(server.address.split(separator: ":").last.map(String.init))
        let demo = TestTools.repository.appendingPathComponent("manifests/demo.yaml")
        let run = try await ChildProcess.run(
            ChildProcess.jwingest,
            ["run", demo.path, "--no-progress", "--metrics-port", port, "--metrics-address", "127.0.0.1"],
            timeout: .seconds(60))
        #expect(run.status == 2, "\(run.standardOutput)\(run.standardError)")
        #expect(run.standardError.contains("cannot serve the metrics on 127.0.0.1:\(port)"), "\(run.standardError)")
        #expect(!run.standardOutput.contains("ingested"))
    }
}
