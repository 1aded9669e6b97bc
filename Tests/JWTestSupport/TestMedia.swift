import Foundation
import Synchronization

/// Media files made by the tests themselves, so that no test needs ffmpeg.
public enum TestMedia {
    /// A PCM WAV file of `seconds` of silence: 8 kHz, 8-bit, mono (8,000 bytes a second).
    public static func wav(seconds: Double) -> [UInt8] {
        let samples = Int(seconds * 8000)
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func le16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        var bytes = Array("RIFF".utf8) + le32(36 + samples) + Array("WAVEfmt ".utf8) + le32(16)
        bytes += le16(1) + le16(1) + le32(8000) + le32(8000) + le16(1) + le16(8)
        bytes += Array("data".utf8) + le32(samples) + [UInt8](repeating: 128, count: samples)
        return bytes
    }

    /// A PCM WAV file of `seconds` of noise (8,000 bytes a second) from `seed`: every part of a multipart
    /// upload has its own bytes, so a part sent in the wrong place changes the whole file's MD5.
    public static func noisyWAV(seconds: Double, seed: UInt64 = 1) -> [UInt8] {
        var bytes = wav(seconds: seconds)
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        for index in 44..<bytes.count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            bytes[index] = UInt8(truncatingIfNeeded: state)
        }
        return bytes
    }

    /// A new empty folder under the temporary directory. A test removes it when it ends; whatever is left
    /// (a helper's file, a test that failed before its `defer`) is removed when the test process exits.
    public static func temporaryFolder(_ prefix: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        LeftoverFolders.shared.add(folder.path)
        return folder
    }
}

/// The temporary folders the tests made, removed at the process's exit.
final class LeftoverFolders: Sendable {
    static let shared: LeftoverFolders = {
        let folders = LeftoverFolders()
        atexit { LeftoverFolders.shared.removeAll() }
        return folders
    }()

    private let paths = Mutex<[String]>([])

    func add(_ path: String) { paths.withLock { $0.append(path) } }

    func removeAll() {
        for path in paths.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
    }
}
