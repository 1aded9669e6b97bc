/// Writes scanned items as a YAML manifest (schema version 1), one item at a time.
///
/// Scalars are plain only when nothing in them could be read as YAML syntax or as another type (`yes`,
/// `1.0`, `null`, a leading `-`); the rest are double-quoted with escapes, so titles may hold `:`, `#`,
/// quotes, line breaks and any Unicode.
struct YAMLScanWriter {
    /// Prepended to every path: the way from the manifest's folder to the scanned one (`media/`, `../`).
    let pathPrefix: String
    private var count = 0

    init(pathPrefix: String) {
        self.pathPrefix = pathPrefix
    }

    /// The text before the first item.
    func start() -> String {
        "# Written by jwingest scan. Paths are relative to this file's folder.\nversion: 1\n"
    }

    /// The text of one item.
    mutating func write(_ item: ScannedItem) -> String {
        var text = count == 0 ? "items:\n" : ""
        count += 1
        func line(_ key: String, _ value: String) { text += "    \(key): \(value)\n" }
        text += "  - id: \(Self.scalar(item.id))\n"
        line("file", Self.scalar(pathPrefix + item.path))
        line("title", Self.scalar(item.title))
        if let description = item.description { line("description", Self.scalar(description)) }
        if let author = item.author { line("author", Self.scalar(author)) }
        if !item.tags.isEmpty { line("tags", "[" + item.tags.map(Self.scalar).joined(separator: ", ") + "]") }
        if let date = item.date { line("date", Self.quoted(date)) }
        if let link = item.link { line("link", Self.scalar(link)) }
        if !item.custom.isEmpty {
            line(
                "custom",
                "{" + item.custom.map { "\(Self.scalar($0.name)): \(Self.quoted($0.value))" }.joined(separator: ", ")
                    + "}")
        }
        if let thumbnail = item.thumbnail { line("thumbnail", Self.scalar(pathPrefix + thumbnail)) }
        if !item.tracks.isEmpty {
            text += "    tracks:\n"
            for track in item.tracks {
                var fields = ["file: \(Self.scalar(pathPrefix + track.path))", "kind: \(track.kind)"]
                if let language = track.language { fields.append("language: \(Self.scalar(language))") }
                if let label = track.label { fields.append("label: \(Self.scalar(label))") }
                text += "      - {\(fields.joined(separator: ", "))}\n"
            }
        }
        return text
    }

    /// The text after the last item: an empty list when there was none.
    func finish() -> String {
        count == 0 ? "items: []\n" : ""
    }

    private static let reserved: Set<String> = ["y", "n", "yes", "no", "true", "false", "on", "off", "null"]

    /// `text` plain when that is safe, else double-quoted.
    static func scalar(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return "\"\"" }
        let letter = ("a"..."z").contains(first) || ("A"..."Z").contains(first)
        let path = first == "/" || text.hasPrefix("../") || text.hasPrefix("./")
        guard letter || path, last != " ", !reserved.contains(text.lowercased()) else { return quoted(text) }
        for scalar in text.unicodeScalars {
            let safe =
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || " ._/-".unicodeScalars.contains(scalar)
            if !safe { return quoted(text) }
        }
        return text
    }

    /// `text` double-quoted: `\` and `"` escaped, control characters, line and paragraph separators and
    /// byte order marks written as escapes; other Unicode as it is.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{0}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}", "\u{2029}", "\u{FEFF}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
