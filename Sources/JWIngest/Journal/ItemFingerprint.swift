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
            let attributes = Self.attributes(url)
            let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
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
        let attributes = Self.attributes(url)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
        return "\(url.path)\u{0}\(size)\u{0}\(modified)"
    }

    /// The attributes of the file at the end of `url`: a symlink's target's, so that a change of the file
    /// a symlink leads to is seen.
    static func attributes(_ url: URL) -> [FileAttributeKey: Any]? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return nil }
        guard attributes[.type] as? FileAttributeType == .typeSymbolicLink else { return attributes }
        return try? FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path)
    }

    /// The first 16 bytes of the text's SHA-256, as hex.
    static func hash(_ text: String) -> String {
        Hex.encode(SHA256.hash(data: Data(text.utf8)).prefix(16))
    }
}
