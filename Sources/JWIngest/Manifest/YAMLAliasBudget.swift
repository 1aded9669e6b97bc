import CYaml

/// How big a YAML document is once its aliases are expanded, counted from libyaml's events before any
/// tree is built: an alias counts as a copy of what its anchor names. Ten levels of ten aliases (the
/// "billion laughs") are 10^10 values; any tree built from them, or a composer that hashes an alias used
/// as a key, never finishes. The count itself is linear in the document.
enum YAMLAliasBudget {
    /// A document may expand to this many values whatever its size…
    static let floor = 1_000_000
    /// …or to this many times its values as written, whichever is more.
    static let ratio = 16

    /// The values as written and once expanded, or `nil` when libyaml cannot read the document (the
    /// composer then reports the syntax error with its position).
    static func count(_ text: String) -> (written: Int, expanded: Int, aliases: Int)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { buffer -> (Int, Int, Int)? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var anchors: [String: Int] = [:]
            // Open collections: their anchor and the expanded size of what they hold so far.
            var collections: [(anchor: String?, size: Int)] = []
            var written = 0
            var expanded = 0
            var aliases = 0
            func add(_ size: Int) {
                if collections.isEmpty {
                    expanded = saturating(expanded, size)
                } else {
                    collections[collections.count - 1].size = saturating(collections[collections.count - 1].size, size)
                }
            }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_SCALAR_EVENT:
                    written += 1
                    if let anchor = name(event.data.scalar.anchor) { anchors[anchor] = 1 }
                    add(1)
                case YAML_SEQUENCE_START_EVENT:
                    written += 1
                    collections.append((name(event.data.sequence_start.anchor), 1))
                case YAML_MAPPING_START_EVENT:
                    written += 1
                    collections.append((name(event.data.mapping_start.anchor), 1))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let closed = collections.popLast() else { return nil }
                    if let anchor = closed.anchor { anchors[anchor] = closed.size }
                    add(closed.size)
                case YAML_ALIAS_EVENT:
                    written += 1
                    aliases += 1
                    add(name(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1)
                case YAML_STREAM_END_EVENT:
                    return (written, expanded, aliases)
                default:
                    continue
                }
            }
        }
    }

    /// Refuses a document whose aliases expand it past the budget.
    ///
    /// - Throws: ``ManifestError`` saying how far it expands.
    static func check(_ text: String, file: String) throws {
        guard text.utf8.contains(UInt8(ascii: "*")), let (written, expanded, aliases) = count(text), aliases > 0 else {
            return
        }
        let budget = max(floor, ratio * written)
        guard expanded > budget else { return }
        let shown = expanded == Int.max ? "more values than can be counted" : "\(expanded) values"
        throw ManifestError(problems: [
            ManifestProblem(
                "the manifest's \(aliases) YAML aliases expand it to \(shown) from \(written) as written, over the "
                    + "limit of \(budget) (aliases count as copies); write the values out, or use fewer aliases",
                at: SourcePosition(file: file))
        ])
    }

    private static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func saturating(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }
}
