import Foundation

/// Writes scanned items as a CSV manifest: `id,file,title,…,thumbnail`, `custom.<name>`,
/// `captions.<language>` and `chapters.<language>` columns.
///
/// The columns depend on what the scan finds (the languages of captions), and the header comes first: rows
/// are spooled to a file as they are found, one JSON object a line, and copied behind the header at the
/// end. Memory holds the set of column names, never the rows. CSV has no place for a track's label (the
/// reader labels a track by its language code) nor for a track without a language: those are written
/// under the code `und` (undetermined, ISO 639-2).
struct CSVScanWriter {
    static let leading = ["id", "file", "title", "description", "author", "tags", "date", "link", "thumbnail"]

    let pathPrefix: String
    private var used: Set<String> = ["id", "file", "title"]
    private let encoder = JSONEncoder()

    init(pathPrefix: String) {
        self.pathPrefix = pathPrefix
    }

    /// One spool line: the item's cells by column.
    mutating func spoolLine(_ item: ScannedItem) throws -> Data {
        var cells: [String: String] = ["id": item.id, "file": pathPrefix + item.path, "title": item.title]
        cells["description"] = item.description
        cells["author"] = item.author
        cells["tags"] = item.tags.isEmpty ? nil : item.tags.joined(separator: "|")
        cells["date"] = item.date
        cells["link"] = item.link
        cells["thumbnail"] = item.thumbnail.map { pathPrefix + $0 }
        for field in item.custom { cells["custom.\(field.name)"] = field.value }
        for track in item.tracks {
            cells["\(track.kind).\(track.language ?? "und")"] = pathPrefix + track.path
        }
        used.formUnion(cells.keys)
        return try encoder.encode(cells) + Data("\n".utf8)
    }

    /// The columns in order: the fixed ones that were used, then `custom.*`, `captions.*`, `chapters.*`
    /// by name.
    var columns: [String] {
        let fixed = Self.leading.filter(used.contains)
        let rest = used.subtracting(Self.leading)
        let custom = rest.filter { $0.hasPrefix("custom.") }.sorted()
        let captions = rest.filter { $0.hasPrefix("captions.") }.sorted()
        let chapters = rest.filter { $0.hasPrefix("chapters.") }.sorted()
        return fixed + custom + captions + chapters
    }

    /// The header line.
    var header: String { columns.map(Self.cell).joined(separator: ",") + "\r\n" }

    /// The CSV line of one spooled line.
    func row(fromSpool line: Data, columns: [String]) throws -> String {
        let cells = try JSONDecoder().decode([String: String].self, from: line)
        return columns.map { Self.cell(cells[$0] ?? "") }.joined(separator: ",") + "\r\n"
    }

    /// A cell, quoted as RFC 4180 says when it holds a comma, a quote, a line break, or spaces at its ends.
    static func cell(_ text: String) -> String {
        let needsQuotes =
            text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            || text.first?.isWhitespace == true || text.last?.isWhitespace == true
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
