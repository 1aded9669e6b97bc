import Foundation
import JWPlatform
import JWSandbox
import JWTestSupport
import Synchronization
import Testing

@testable import JWIngest

/// An upload the server answers before it reads the body (a refused token, a 5xx, S3 `EntityTooLarge`)
/// must give back the file descriptor and the chunks read ahead, attempt after attempt.
@Suite("refused uploads release the file")
struct RefusedUploadTests {
    /// How many descriptors of this process point at `path` now.
    static func openDescriptors(of path: String) -> Int {
        let folder = "/proc/self/fd"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return 0 }
        return names.filter { name in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\(name)")) == path
        }.count
    }

    @Test(
        "a 64 MiB item refused with 500 before its body is read, with retries: never more than one descriptor open, none after",
        arguments: ["form", "s3"])
    func noDescriptorLeft(method: String) async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-refused")
        defer { try? FileManager.default.removeItem(at: folder) }
        let media = folder.appendingPathComponent("big.mp4")
        #expect(FileManager.default.createFile(atPath: media.path, contents: nil))
        let handle = try FileHandle(forWritingTo: media)
        try handle.truncate(atOffset: 64 << 20)
        try handle.close()
        let path = media.resolvingSymlinksInPath().path
        let manifest = try IngestFixtures.write(
            "version: 1\noptions: {retries: 3, upload_method: \(method)}\npipeline: [create, upload]\n"
                + "items:\n  - {id: big, file: big.mp4}\n", named: "big.yaml", in: folder)
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "500=100%@upload,500=100%@s3", seed: 3)
        let most = Peak()
        let summary = try await Sandbox.withSandbox(configuration) { sandbox in
            let runner = try IngestRunner(
                manifest: try Manifest.load(from: manifest), client: IngestFixtures.client(sandbox))
            let watcher = Task {
                while !Task.isCancelled {
                    let count = Self.openDescriptors(of: path)
                    most.record(count)
                    try? await Task.sleep(for: .milliseconds(10))
                }
            }
            let summary = try await runner.ingest()
            watcher.cancel()
            _ = await watcher.value
            return summary
        }
        #expect(summary.failed == 1)
        let retries = summary.results.first?.state.uploads ?? 0
        #expect(retries == 0)
        // Every refused attempt closed its file before the next one opened it.
        #expect(most.value <= 1, "descriptors open at once: \(most.value)")
        var left = Self.openDescriptors(of: path)
        for _ in 0..<50 where left > 0 {
            try await Task.sleep(for: .milliseconds(10))
            left = Self.openDescriptors(of: path)
        }
        #expect(left == 0, "descriptors still open after the run: \(left)")
    }
}

/// The largest value seen.
final class Peak: Sendable {
    private let largest = Mutex(0)

    func record(_ value: Int) { largest.withLock { $0 = max($0, value) } }

    var value: Int { largest.withLock { $0 } }
}
