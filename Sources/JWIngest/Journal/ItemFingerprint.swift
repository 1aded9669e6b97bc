import Crypto
import Foundation
import JWPlatform

/// What an item was when it was ingested, to tell on a later run whether it changed: its file (path,
/// size, modification time) and everything else the manifest says of it (metadata, thumbnail, tracks,
/// kind, redirect), each as a SHA-256.
public struct ItemFingerprint: Sendable, Hashable, Codable {
    /// The file's path, size and modification time; the URL for a fetched item.
    public var file: String
    /// The metadata, thumbnail, tracks and options of the item.
    public var metadata: String

    /// Creates a fingerprint.
    public init(file: String, metadata: String) {
        self.file = file
        self.metadata = metadata
    }

    /// The fingerprint of `item` as it is now (one `stat` of its file, no read).
    public init(of item: IngestItem) {
        var fileText: String
        switch item.source {
        case .file(let url):
            let (size, modified) = Self.sizeAndModification(url)
            fileText = "file\u{0}\(url.path)\u{0}\(size)\u{0}\(modified)"
        case .url(let address):
            fileText = "url\u{0}\(address)"
        }
        fileText += "\u{0}\(item.kind.rawValue)"
        let metadata = item.metadata
        var parts: [String] = [
            metadata.title ?? "\u{1}", metadata.description ?? "\u{1}", metadata.author ?? "\u{1}",
            metadata.tags.joined(separator: "\u{2}"), metadata.date.map { "\($0.timeIntervalSince1970)" } ?? "\u{1}",
            metadata.link ?? "\u{1}",
        ]
        parts += metadata.custom.map { "\($0.name)\u{3}\($0.value)" }
        parts.append("thumbnail\u{0}" + (item.thumbnail.map(Self.stamp) ?? "\u{1}"))
        for track in item.tracks {
            parts.append(
                "track\u{0}\(track.identity)\u{0}\(track.metadata.label ?? "\u{1}")\u{0}" + Self.stamp(track.file))
        }
        if let redirect = item.redirect {
            parts.append("redirect\u{0}\(redirect.address)\u{0}\(redirect.keyInPath.map { "\($0)" } ?? "-")")
            parts += redirect.query.map { "\($0.name)\u{3}\($0.value)" }
        }
        self.init(file: Self.hash(fileText), metadata: Self.hash(parts.joined(separator: "\u{0}")))
    }

    /// A companion file's path, size and modification time.
    static func stamp(_ url: URL) -> String {
        let (size, modified) = Self.sizeAndModification(url)
        return "\(url.path)\u{0}\(size)\u{0}\(modified)"
    }

    /// The size and modification time (seconds since 1970) of the file at the end of `url`, symlinks
    /// followed so that a change of the file a symlink leads to is seen; `(-1, -1)` when there is none.
    ///
    /// One `stat(2)`. The time is computed as Foundation's `FileManager.attributesOfItem` computes its
    /// `modificationDate` (through the 2001 reference date), to the last bit: journals written by earlier
    /// versions, which used that, keep their fingerprints.
    static func sizeAndModification(_ url: URL) -> (size: Int64, modified: Double) {
        var status = stat()
        guard stat(url.path, &status) == 0 else { return (-1, -1) }
        #if canImport(Darwin)
            let time = status.st_mtimespec
        #else
            let time = status.st_mtim
        #endif
        let sinceReference =
            Double(time.tv_sec) - Date.timeIntervalBetween1970AndReferenceDate + Double(time.tv_nsec) / 1_000_000_000.0
        return (Int64(status.st_size), Date(timeIntervalSinceReferenceDate: sinceReference).timeIntervalSince1970)
    }

    /// The first 16 bytes of the text's SHA-256, as hex.
    static func hash(_ text: String) -> String {
        var text = text
        let digest = text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        return digest.withUnsafeBytes { Hex.encode(UnsafeRawBufferPointer(rebasing: $0.prefix(16))) }
    }
}
