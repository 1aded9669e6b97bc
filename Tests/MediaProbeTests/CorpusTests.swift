import Foundation
import Testing

@testable import MediaProbe

/// One file of the committed corpus with what ffprobe said of it (`Fixtures/corpus/expected.json`, written
/// by `make-corpus.sh`).
struct CorpusEntry: Decodable, Sendable, CustomTestStringConvertible {
    var file: String
    var container: String
    var kind: String
    var duration: Double?
    /// For a file whose container gives no duration (live WebM), the end of the last packet minus the
    /// first timestamp, as ffprobe's packet listing gives it.
    var packetsDuration: Double?
    var atLeast2s: Bool?

    /// The duration the probe must agree with.
    var expectedDuration: Double? { duration ?? packetsDuration }

    var testDescription: String { file }
}

enum Corpus {
    static var folder: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent("corpus")
    }

    static func url(_ file: String) -> URL { folder.appendingPathComponent(file) }

    static let entries: [CorpusEntry] = {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("expected.json")),
            let entries = try? JSONDecoder().decode([CorpusEntry].self, from: data)
        else { return [] }
        return entries
    }()
}

@Suite("the corpus: every container, durations around 2 s, against ffprobe's figures")
struct CorpusTests {
    @Test("the corpus is there and covers every container the issue names")
    func corpusIsComplete() {
        let containers = Set(Corpus.entries.map(\.container))
        for name in [
            "mp4", "mov", "m4a", "3gp", "matroska", "webm", "avi", "flv", "mpegts", "mpegps", "mp3", "wav", "ogg",
            "jpeg", "png", "webp", "webvtt", "srt",
        ] {
            #expect(containers.contains(name), "no \(name) file in the corpus")
        }
        #expect(Corpus.entries.count >= 60)
    }

    @Test(
        "container, kind and duration agree with ffprobe within 50 ms, with the same 2 s verdict",
        arguments: Corpus.entries)
    func agreesWithFFprobe(entry: CorpusEntry) throws {
        let info = MediaProber().probe(Corpus.url(entry.file))
        #expect(info.kind.rawValue == entry.kind, "\(info)")
        if entry.kind != "unreadable" && entry.kind != "unknown" {
            #expect(info.container.rawValue == entry.container, "\(info)")
        }
        if entry.kind == "unreadable" {
            // A file recognized but broken still says what it claimed to be.
            #expect(info.container != .unknown, "\(info)")
        }
        if let expected = entry.expectedDuration, entry.kind == "video" || entry.kind == "audio" {
            let duration = try #require(info.duration, "no duration: \(info.reason ?? "")")
            #expect(abs(duration - expected) <= 0.05, "probe \(duration) s, ffprobe \(expected) s")
            if let atLeast2s = entry.atLeast2s {
                #expect((duration >= 2) == atLeast2s, "probe \(duration) s, ffprobe \(expected) s")
            }
            #expect(info.durationSource != nil)
        }
        if entry.kind == "unreadable" || entry.kind == "unknown" {
            #expect(info.duration == nil)
            #expect(info.reason?.isEmpty == false)
        }
        // Headers only: no corpus file needs more than 2 MiB read, and none is read twice over.
        #expect(info.bytesRead > 0 || info.size == 0, "bytesRead is not counted")
        #expect(info.bytesRead <= 2 << 20)
        #expect(info.bytesRead <= max(info.size, 4096) * 2)
    }

    @Test(
        "broken files are answered within a bounded time, never a crash",
        arguments: Corpus.entries.filter {
            $0.file.hasPrefix("broken-") || $0.file.hasPrefix("not-")
        })
    func brokenFilesAnswerQuickly(entry: CorpusEntry) {
        let clock = ContinuousClock()
        var info: MediaInfo?
        let elapsed = clock.measure { info = MediaProber().probe(Corpus.url(entry.file)) }
        #expect(info?.kind.rawValue == entry.kind)
        // A correctness bound against loops, not a benchmark.
        #expect(elapsed < .seconds(1), "took \(elapsed)")
    }

    @Test("a missing file is unreadable with a reason")
    func missingFile() {
        let info = MediaProber().probe(URL(fileURLWithPath: "/nonexistent/media.mp4"))
        #expect(info.kind == .unreadable)
        #expect(info.reason?.contains("open") == true)
    }
}
