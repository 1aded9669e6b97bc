import AsyncHTTPClient
import Foundation
import JWPlatform
import JWTestSupport
import NIOPosix
import Testing

@testable import JWIngest

/// Where a run's items do their work: small items of built-in stages on the HTTP client's event loop,
/// large files and pipelines with a stage of your own on the global executor.
@Suite("item placement: the event loop for small items of built-in stages only")
struct ItemPlacementTests {
    struct OwnStage: Stage {
        let name = "own"
        func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome { .done }
    }

    static let builtIn: [any Stage] = [ValidateStage(), CreateStage(), UploadStage(), VerifyStage()]

    /// Whether `item`'s work runs on the loop, as a run's worker would start it.
    static func ranOnLoop(_ placement: ItemPlacement, _ item: IngestItem) async -> Bool {
        let loop = JWPlatformHTTPClient.taskExecutor.eventLoop
        return await withTaskExecutorPreference(placement.workerExecutor) {
            await placement.run(item) { loop.inEventLoop }
        }
    }

    @Test("a small file, or none, runs on the loop; a file over 1 MiB, or one that is not there, does not")
    func bySize() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-placement")
        defer { try? FileManager.default.removeItem(at: folder) }
        let small = folder.appendingPathComponent("small.mp4")
        let large = folder.appendingPathComponent("large.mp4")
        try Data(count: Int(ItemPlacement.largestFileOnLoop)).write(to: small)
        try Data(count: Int(ItemPlacement.largestFileOnLoop) + 1).write(to: large)
        let placement = ItemPlacement(stages: Self.builtIn)
        #expect(placement.loopAllowed)
        #expect(await Self.ranOnLoop(placement, IngestItem(id: "small", source: .file(small))))
        #expect(await Self.ranOnLoop(placement, IngestItem(id: "fetched", source: .url("https://example.com/a.mp4"))))
        #expect(!(await Self.ranOnLoop(placement, IngestItem(id: "large", source: .file(large)))))
        let missing = folder.appendingPathComponent("missing.mp4")
        #expect(!(await Self.ranOnLoop(placement, IngestItem(id: "missing", source: .file(missing)))))
    }

    @Test("a run whose HTTP client is on an event loop group of its own keeps its items off the loop")
    func ownClient() async throws {
        #expect(JWPlatformHTTPClient.runsOnTaskExecutorLoop(JWPlatformHTTPClient.shared))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let own = HTTPClient(eventLoopGroup: group)
        #expect(!JWPlatformHTTPClient.runsOnTaskExecutorLoop(own))
        try await own.shutdown()
        try await group.shutdownGracefully()
        let placement = ItemPlacement(stages: Self.builtIn, clientsOnLoop: false)
        #expect(!placement.loopAllowed)
        #expect(
            !(await Self.ranOnLoop(placement, IngestItem(id: "fetched", source: .url("https://example.com/a.mp4")))))
    }

    @Test("a pipeline with a stage of your own, or a built-in name given your own stage, stays off the loop")
    func ownStages() async throws {
        let folder = try TestMedia.temporaryFolder("jwingest-placement")
        defer { try? FileManager.default.removeItem(at: folder) }
        let small = folder.appendingPathComponent("small.mp4")
        try Data(count: 1000).write(to: small)
        let item = IngestItem(id: "small", source: .file(small))
        let mixed = ItemPlacement(stages: Self.builtIn + [OwnStage()])
        #expect(!mixed.loopAllowed)
        #expect(mixed.workerExecutor == nil)
        #expect(!(await Self.ranOnLoop(mixed, item)))
        var registry = StageRegistry.standard
        registry.register("validate") { _, _ in OwnStage() }
        let replaced = try registry.resolve(
            [PipelineStep(name: "validate"), PipelineStep(name: "create")], options: ManifestOptions())
        #expect(!(await Self.ranOnLoop(ItemPlacement(stages: replaced), item)))
        let standard = try StageRegistry.standard.resolve(
            ["validate", "create", "upload", "verify", "thumbnail", "tracks"].map { PipelineStep(name: $0) },
            options: ManifestOptions())
        #expect(await Self.ranOnLoop(ItemPlacement(stages: standard), item))
    }
}
