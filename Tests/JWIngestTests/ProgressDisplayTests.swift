import Foundation
import JWTestSupport
import Testing

@testable import JWIngest

/// What the outputs print, fed with events as a run makes them.
@Suite("progress display and plain lines")
struct ProgressDisplayTests {
    static func events() -> [IngestEvent.Kind] {
        [
            .runStarted(items: 2, endpoint: "http://127.0.0.1:1"),
            .itemStarted(item: "a"), .itemStarted(item: "b"),
            .stageStarted(item: "a", stage: "upload"),
            .bytesSent(item: "a", sent: 512 * 1024, total: 1024 * 1024),
            .bytesSent(item: "a", sent: 1024 * 1024, total: 1024 * 1024),
            // a's thumbnail: another file of the same item.
            .bytesSent(item: "a", sent: 1000, total: 1000),
            .itemFinished(item: "a", outcome: .ingested(key: "K1")),
            .retry(item: "b", stage: "create", attempt: 2, delay: 0.5, reason: "create: 503"),
            .itemFinished(
                item: "b",
                outcome: .failed(IngestError(itemID: "b", stage: "verify", message: "digest", expected: "x", seen: "y"))
            ),
            .runFinished(ingested: 1, unchanged: 0, failed: 1, interrupted: 0, seconds: 1.5),
        ]
    }

    static func render(_ observer: (FileHandle) -> any IngestObserver) async throws -> String {
        let folder = try TestMedia.temporaryFolder("jwingest-progress")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("out.txt")
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        let output = observer(handle)
        for kind in events() {
            await output.observe(IngestEvent(kind))
            // The live block is redrawn at most ten times a second, as progress arrives over time.
            if case .bytesSent = kind { try await Task.sleep(for: .milliseconds(120)) }
        }
        try handle.close()
        return try String(contentsOf: file, encoding: .utf8)
    }

    @Test("plain lines: one per finished item, retry and summary; nothing else")
    func plainLines() async throws {
        let text = try await Self.render { PlainProgress(handle: $0) }
        #expect(
            text.split(separator: "\n") == [
                "ingesting 2 items into http://127.0.0.1:1",
                "[1/2] a: ingested as K1",
                "b: create attempt 2 in 0.5 s after: create: 503",
                "[2/2] b: FAILED at verify: digest (expected x, saw y)",
                "done in 1.5 s: 1 ingested, 1 failed, 0 interrupted",
            ])
    }

    @Test("plain lines read the kinds they print: an event of any other kind prints nothing")
    func plainKinds() {
        let progress = PlainProgress(handle: .nullDevice)
        let every: [IngestEvent.Kind] =
            Self.events() + [
                .remoteChecked(items: 3, found: 1, pages: 1), .stageFinished(item: "a", stage: "upload", seconds: 1),
                .rateLimited(item: "a", stage: "create", route: "/videos/create", until: Date()),
                .itemAbandoned(item: "a", reason: "lease lost"),
            ]
        #expect(Set(every.map(\.kinds.rawValue)).count == 11)
        for kind in every {
            let printed = progress.line(for: IngestEvent(kind)) != nil
            #expect(progress.observedKinds.contains(kind.kinds) == printed, "\(kind)")
        }
    }

    @Test("the terminal display draws bars, counts every file's bytes once, and leaves only lines at the end")
    func terminal() async throws {
        let text = try await Self.render { TerminalProgress(handle: $0, totalBytes: 2 * 1024 * 1024) }
        #expect(text.contains("█"))
        #expect(text.contains("% of 1.0 MiB"))
        // 1 MiB of media and a 1000-byte thumbnail: 1,049,576 bytes, shown as 1.0 MiB, never more.
        #expect(text.contains("1/2 items · 1.0 MiB sent"))
        #expect(!text.contains("2.0 MiB sent"))
        // The live block is erased before the final line.
        #expect(text.hasSuffix("done in 1.5 s: 1 ingested, 1 failed, 0 interrupted\n"))
        #expect(text.contains("\u{1B}[J"))
    }
}
