import Foundation

/// Reads typed values out of ``ManifestNode``s, recording a problem (with the position, the item and what
/// was expected) instead of stopping at the first.
struct ManifestValueReader {
    var problems: [ManifestProblem] = []
    /// Made once per manifest: making a date formatter costs more than using it.
    private let fullDate = ISO8601DateFormatter()
    private let fractionalDate: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions.insert(.withFractionalSeconds)
        return formatter
    }()
    private let dayDate: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter
    }()

    mutating func report(_ message: String, at position: SourcePosition, item: String? = nil) {
        problems.append(ManifestProblem(message, at: position, item: item))
    }

    /// Reports every key of `node` that is not in `known`, with the nearest known key as a hint.
    mutating func checkKeys(_ node: ManifestNode, known: [String], in place: String, item: String? = nil) {
        guard case .mapping(let entries, _) = node else { return }
        for entry in entries where !known.contains(entry.key) {
            var message = "unknown key '\(entry.key)' in \(place)"
            if let nearest = NearestName.suggestion(for: entry.key, among: known) {
                message += "; did you mean '\(nearest)'?"
            } else {
                message += "; known keys: \(known.joined(separator: ", "))"
            }
            report(message, at: entry.keyPosition, item: item)
        }
    }

    /// The entries of a mapping, or a problem.
    mutating func mapping(
        _ node: ManifestNode, _ what: String, item: String? = nil
    ) -> [(key: String, keyPosition: SourcePosition, value: ManifestNode)]? {
        switch node {
        case .mapping(let entries, _): return entries
        case .null: return []
        default:
            report(
                "\(what) must be a mapping of names to values, not \(node.kindDescription)", at: node.position,
                item: item)
            return nil
        }
    }

    /// A text value; numbers and booleans are taken as written.
    mutating func text(_ node: ManifestNode?, _ what: String, item: String? = nil) -> String? {
        guard let node else { return nil }
        switch node {
        case .scalar(let text, _, _): return text
        case .null: return nil
        default:
            report("\(what) must be text, not \(node.kindDescription)", at: node.position, item: item)
            return nil
        }
    }

    /// A whole number in `range`.
    mutating func integer(
        _ node: ManifestNode?, _ what: String, in range: ClosedRange<Int>, item: String? = nil
    ) -> Int? {
        guard let node, let text = text(node, what, item: item) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            report(
                "\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(text.debugDescription)",
                at: node.position, item: item)
            return nil
        }
        return value
    }

    /// A number of seconds, at least zero.
    mutating func seconds(_ node: ManifestNode?, _ what: String, item: String? = nil) -> Double? {
        guard let node, let text = text(node, what, item: item) else { return nil }
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("s") { trimmed.removeLast() }
        guard let value = Double(trimmed), value.isFinite, value >= 0 else {
            report("\(what) must be a number of seconds, not \(text.debugDescription)", at: node.position, item: item)
            return nil
        }
        return value
    }

    /// `true`/`false` (also `yes`/`no`, `1`/`0`).
    mutating func boolean(_ node: ManifestNode?, _ what: String, item: String? = nil) -> Bool? {
        guard let node, let text = text(node, what, item: item) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off": return false
        default:
            report("\(what) must be true or false, not \(text.debugDescription)", at: node.position, item: item)
            return nil
        }
    }

    /// A size in bytes: a number, or a number with a unit (`B`, `KB`, `MB`, `GB`, `TB`, `KiB`, `MiB`, `GiB`, `TiB`).
    mutating func byteSize(_ node: ManifestNode?, _ what: String, item: String? = nil) -> Int64? {
        guard let node, let text = text(node, what, item: item) else { return nil }
        guard let value = Self.parseByteSize(text) else {
            report(
                "\(what) must be a size like 5368709120, 500MB or 5GiB, not \(text.debugDescription)",
                at: node.position, item: item)
            return nil
        }
        return value
    }

    static func parseByteSize(_ text: String) -> Int64? {
        let trimmed = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "_", with: "")
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(digits.count).lowercased()
        let units: [String: Double] = [
            "": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12, "kib": 1024, "mib": 1_048_576,
            "gib": 1_073_741_824, "tib": 1_099_511_627_776,
        ]
        guard let number = Double(digits), let multiplier = units[unit] else { return nil }
        let bytes = (number * multiplier).rounded()
        guard bytes >= 0, bytes < 9e18 else { return nil }
        return Int64(bytes)
    }

    /// A list of texts: a sequence, or one text separated by `|` (or by `,` when it has no `|`).
    mutating func textList(_ node: ManifestNode?, _ what: String, item: String? = nil) -> [String]? {
        guard let node else { return nil }
        switch node {
        case .sequence(let elements, _):
            return elements.compactMap { text($0, "each of \(what)", item: item) }
        case .scalar(let text, _, _):
            let separator: Character = text.contains("|") ? "|" : ","
            return text.split(separator: separator).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
        case .null: return []
        case .mapping:
            report("\(what) must be a list, not a mapping", at: node.position, item: item)
            return nil
        }
    }

    /// A mapping of names to texts, in order.
    mutating func textMap(_ node: ManifestNode?, _ what: String, item: String? = nil) -> [(String, String)]? {
        guard let node, let entries = mapping(node, what, item: item) else { return nil }
        return entries.compactMap { entry in
            text(entry.value, "\(what).\(entry.key)", item: item).map { (entry.key, $0) }
        }
    }

    /// A date: ISO 8601 (`2024-05-01`, `2024-05-01T10:00:00Z`, with an offset or fractions) or Unix seconds.
    mutating func date(_ node: ManifestNode?, _ what: String, item: String? = nil) -> Date? {
        guard let node, let text = text(node, what, item: item) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite, seconds >= 0 {
            return Date(timeIntervalSince1970: seconds)
        }
        let normalized = trimmed.replacingOccurrences(of: " ", with: "T")
        if let date = fullDate.date(from: normalized) ?? fractionalDate.date(from: normalized)
            ?? dayDate.date(from: normalized)
        {
            return date
        }
        report(
            "\(what) must be an ISO 8601 date (2024-05-01 or 2024-05-01T10:00:00Z) or Unix seconds, not \(text.debugDescription)",
            at: node.position, item: item)
        return nil
    }
}
