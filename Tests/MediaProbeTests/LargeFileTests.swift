import Foundation
import Testing

@testable import MediaProbe

/// A 5 GB MP4 made sparse (no disk used): `ftyp`, a 5 GB `mdat`, then the `moov` of a corpus file. The
/// probe must find the duration by seeking, reading at most a few MiB.
@Suite("reads only what it needs")
struct LargeFileTests {
    @Test("a 5 GB MP4 with moov at the end is probed reading at most 2 MiB")
    func sparseFiveGigabyteMP4() throws {
        let source = try #require(
            Corpus.entries.first { $0.file.hasPrefix("mp4-") && $0.kind == "video" && $0.duration != nil },
            "no mp4 in the corpus")
        let bytes = try [UInt8](Data(contentsOf: Corpus.url(source.file)))
        let moov = try #require(Self.topLevelBox("moov", in: bytes), "no moov in \(source.file)")
        let ftyp = try #require(Self.topLevelBox("ftyp", in: bytes))

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jwingest-sparse-\(UUID()).mp4")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        let payload: UInt64 = 5_000_000_000
        var mdatHeader: [UInt8] = [0, 0, 0, 1] + Array("mdat".utf8)
        withUnsafeBytes(of: (payload + 16).bigEndian) { mdatHeader += $0 }
        try handle.write(contentsOf: Data(ftyp + mdatHeader))
        try handle.seek(toOffset: UInt64(ftyp.count) + payload + 16)
        try handle.write(contentsOf: Data(moov))
        try handle.close()

        let info = MediaProber().probe(url)
        #expect(info.size > 5_000_000_000)
        #expect(info.kind == .video)
        let duration = try #require(info.duration)
        #expect(abs(duration - (source.duration ?? 0)) <= 0.05)
        #expect(info.bytesRead <= 2 << 20, "read \(info.bytesRead) bytes")
    }

    /// One media file of every container, split in two halves with a 5 GB hole between them (sparse: no
    /// disk used). Whatever each reader makes of the hole, it must answer reading at most 3 MiB (the readers
    /// that scan the end read a window of about 1 MiB at each end) and within a bounded time.
    static let mediaContainers = Set(
        Corpus.entries.filter { $0.kind == "video" || $0.kind == "audio" }.map(\.container)
    ).sorted()

    @Test("every reader stays within 3 MiB on a 5 GB file", arguments: mediaContainers)
    func boundedReadingOnHugeFiles(container: String) throws {
        let entry = try #require(
            Corpus.entries.first { $0.container == container && ($0.kind == "video" || $0.kind == "audio") })
        let bytes = try [UInt8](Data(contentsOf: Corpus.url(entry.file)))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "jwingest-hole-\(UUID())-\(entry.file)")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        let middle = bytes.count / 2
        try handle.write(contentsOf: Data(bytes[..<middle]))
        try handle.seek(toOffset: UInt64(middle) + 5_000_000_000)
        try handle.write(contentsOf: Data(bytes[middle...]))
        try handle.close()

        let clock = ContinuousClock()
        var info: MediaInfo?
        let elapsed = clock.measure { info = MediaProber().probe(url) }
        let result = try #require(info)
        #expect(result.size > 5_000_000_000)
        #expect(result.bytesRead > 0)
        #expect(result.bytesRead <= 3 << 20, "\(entry.file): read \(result.bytesRead) bytes")
        #expect(elapsed < .seconds(2), "\(entry.file): took \(elapsed)")
    }

    /// The bytes of the first top-level box of `type` (32-bit sizes only, as ffmpeg writes small files).
    static func topLevelBox(_ type: String, in bytes: [UInt8]) -> [UInt8]? {
        var offset = 0
        while offset + 8 <= bytes.count {
            let size =
                Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
                | Int(bytes[offset + 3])
            guard size >= 8, offset + size <= bytes.count else { return nil }
            if bytes[(offset + 4)..<(offset + 8)].elementsEqual(type.utf8) {
                return Array(bytes[offset..<(offset + size)])
            }
            offset += size
        }
        return nil
    }
}
