import Benchmark
import Foundation
import JWIngest
import JWPlatform
import MediaProbe

/// The steps every small item takes on this machine, each alone, with its allocations counted (issue 14).
/// Where a step was changed, the way it was done before runs beside it as a baseline.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.cpuTotal, .wallClock, .mallocCountTotal, .throughput], maxDuration: .seconds(2),
        maxIterations: 100_000)

    // Everything a benchmark works on is made here, once: a benchmark's closure runs for every sample.
    let media = Fixtures.media
    let state = Fixtures.uploadedState
    let item: IngestItem
    do {
        item = try Fixtures.item()
    } catch {
        fatalError("cannot make the benchmarks' item: \(error)")
    }
    let encoder = JSONEncoder()
    let prober = MediaProber()
    let signer = APISigner(credentials: APICredentials(key: "key12345", secret: "secret"))
    let parameters = APIParameters([("title", "clip-0000001"), ("custom.ingest_id", "clip-0000001")])
    let answerBody = Array(Fixtures.createAnswer.utf8)
    let answerFormat = JSONAnswerFormat()

    Benchmark("journal JSON of a state: written directly (now)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try state.journalJSON()) }
    }
    Benchmark("journal JSON of a state: JSONEncoder (before)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try encoder.encode(state)) }
    }
    Benchmark("file fingerprint of an item: stat (now)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(ItemFingerprint(of: item)) }
    }
    Benchmark("file attributes: FileManager.attributesOfItem (before)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try FileManager.default.attributesOfItem(atPath: media.path))
        }
    }
    Benchmark("probe of a 10 KB MP4") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(prober.probe(media)) }
    }
    Benchmark("signing a /videos/create call") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(signer.sign(parameters, format: .json)) }
    }
    Benchmark("reading a /videos/create answer") { benchmark in
        for _ in benchmark.scaledIterations {
            let answer = try APIAnswer(
                call: "/videos/create", httpStatus: 200, body: answerBody, format: answerFormat)
            blackHole(try CreateAnswer(answer.reader))
        }
    }
}

/// What the benchmarks work on: the repository's demo clip and a state as it stands after an upload.
enum Fixtures {
    /// `manifests/media/intro.mp4` of the repository.
    static var media: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("manifests/media/intro.mp4")
    }

    /// One item of a manifest naming the clip, with a title and a tag.
    static func item() throws -> IngestItem {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jwingest-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let manifest = folder.appendingPathComponent("bench.yaml")
        try Data(
            "version: 1\nitems:\n  - {id: clip-1, file: \(media.path), title: Clip 1, tags: [a, b]}\n".utf8
        ).write(to: manifest)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try Manifest.load(from: manifest).items[0]
    }

    /// A v1 item's state after `upload`: key, link, digests and stages.
    static var uploadedState: ItemState {
        var state = ItemState(itemID: "clip-0000001")
        state.completedStages = ["validate", "create", "upload"]
        state.fileSize = 9_849
        state.fileModified = Date(timeIntervalSince1970: 1_796_332_442.733_494_8)
        state.duration = 2.023
        state.mediaKey = "hjr2rjJ0"
        state.uploadLink = UploadLink(
            scheme: "http", address: "127.0.0.1:41523", path: "/v1/videos/upload",
            query: [.init(name: "key", value: "hjr2rjJ0"), .init(name: "token", value: "a1b2c3d4e5f6")])
        state.linkIssuedAt = Date()
        state.sent = FileDigest(md5: "0123456789abcdef0123456789abcdef", size: 9_849)
        state.received = state.sent
        state.uploads = 1
        return state
    }

    static let createAnswer = """
        {"status":"ok","media":{"type":"video","key":"hjr2rjJ0"},"video":{"key":"hjr2rjJ0"},\
        "link":{"protocol":"http","address":"127.0.0.1:41523","path":"/v1/videos/upload",\
        "query":{"key":"hjr2rjJ0","token":"a1b2c3d4e5f6"}}}
        """
}
