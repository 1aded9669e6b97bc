import Crypto
import Foundation
import JWPlatform

/// Item ids derived from paths relative to the scanned folder, the same on every scan of the same tree:
/// `season1/ep1.mp4` → `season1-ep1` (lower case, `a-z`, `0-9`, `-` and `_` only, accents dropped).
///
/// Two files whose paths give the same id (`ep1.mp4` and `ep1.mov`; `a-b/c.mp4` and `a/b-c.mp4`) are told
/// apart by a short hash of the later one's full relative path (`ep1-3f2a9c1e`): the walk's order is
/// sorted, so the same tree always gives the same ids. Only 8 bytes per id are kept to see collisions, not
/// the ids themselves.
struct ScanIdentifiers {
    /// Prepended to every id.
    let prefix: String
    private var seen: Set<UInt64> = []

    init(prefix: String = "") {
        self.prefix = prefix
    }

    /// Whether `prefix` may start an id: `a-z`, `0-9`, `-` and `_` only.
    static func isValidPrefix(_ prefix: String) -> Bool {
        prefix.unicodeScalars.allSatisfy(isIDCharacter)
    }

    /// The id of the file at `relativePath`, unique among the ids given so far.
    mutating func id(for relativePath: String) -> String {
        let plain = prefix + Self.base(for: relativePath)
        if seen.insert(Self.fingerprint(plain)).inserted { return plain }
        let digest = Hex.encode(SHA256.hash(data: Data(relativePath.utf8)))
        var length = 8
        while true {
            let candidate = "\(plain)-\(digest.prefix(length))"
            if seen.insert(Self.fingerprint(candidate)).inserted || length >= digest.count { return candidate }
            length += 4
        }
    }

    /// The id a path gives before collisions are resolved: the extension dropped, folders joined by `-`.
    static func base(for relativePath: String) -> String {
        var path = Substring(relativePath)
        if let dot = path.lastIndex(of: "."), dot != path.startIndex,
            !path[path.index(after: dot)...].contains("/"), path[path.index(before: dot)] != "/"
        {
            path = path[..<dot]
        }
        var id = ""
        var pendingDash = false
        for scalar in path.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            let lowered = ("A"..."Z").contains(scalar) ? Unicode.Scalar(UInt8(scalar.value) | 0x20) : scalar
            if isIDCharacter(lowered), lowered != "-" {
                if pendingDash, !id.isEmpty { id.append("-") }
                pendingDash = false
                id.unicodeScalars.append(lowered)
            } else {
                pendingDash = true
            }
        }
        return id.isEmpty ? "item" : id
    }

    private static func isIDCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
    }

    /// FNV-1a, 64 bits: stable across runs, unlike `Hasher`.
    private static func fingerprint(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }
}
