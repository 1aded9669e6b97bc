/// A manifest as a tree with positions, whatever it was written in: YAML and JSON through Yams, CSV
/// through its rows. The decoder reads this tree, so the three formats share one schema and one set of
/// messages.
indirect enum ManifestNode: Sendable {
    /// A scalar; `quoted` when written in quotes (so `"1"` stays text).
    case scalar(String, quoted: Bool, SourcePosition)
    /// A mapping, keys in the order written.
    case mapping([(key: String, keyPosition: SourcePosition, value: ManifestNode)], SourcePosition)
    /// A sequence.
    case sequence([ManifestNode], SourcePosition)
    /// An explicit null or an empty value.
    case null(SourcePosition)

    var position: SourcePosition {
        switch self {
        case .scalar(_, _, let position), .mapping(_, let position), .sequence(_, let position),
            .null(let position):
            return position
        }
    }

    /// What the node is, for messages: "a mapping", "a list", "the text 'x'".
    var kindDescription: String {
        switch self {
        case .scalar(let text, _, _): return "the value \(text.debugDescription)"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .null: return "nothing"
        }
    }

    /// The value of `key` in a mapping.
    subscript(key: String) -> ManifestNode? {
        guard case .mapping(let entries, _) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }
}
