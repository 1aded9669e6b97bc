import CSV
import Foundation

/// Reads a CSV manifest (RFC 4180: quoted cells may hold commas, quotes and line breaks) into the same
/// ``ManifestNode`` tree as a YAML one: one item per row; columns `id,file,url,kind,title,description,
/// author,tags,date,link,thumbnail`, `custom.<name>`, `captions.<language>` and `chapters.<language>`.
/// Empty cells are left out, so an item keeps the default.
enum CSVManifestReader {
    static let plainColumns = ManifestSchema.item.filter { !["custom", "tracks", "redirect"].contains($0) }

    /// Parses `text`; `file` names the manifest in positions.
    ///
    /// - Throws: ``ManifestError`` for an unreadable file, an unknown column or a row of the wrong width.
    static func read(_ text: String, file: String) throws -> ManifestNode {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw ManifestError(problems: [
                ManifestProblem("not readable as CSV: \(error)", at: SourcePosition(file: file, row: 1))
            ])
        }
        guard let header = reader.headerRow, !header.isEmpty else {
            throw ManifestError(problems: [
                ManifestProblem(
                    "the CSV has no header row; the first line names the columns (id,file,title,…)",
                    at: SourcePosition(file: file, row: 1))
            ])
        }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var problems: [ManifestProblem] = []
        for name in columns where !isKnown(name) {
            let known = plainColumns + ["custom.<name>", "captions.<language>", "chapters.<language>"]
            var message = "unknown column '\(name)'"
            if let nearest = NearestName.suggestion(for: name, among: plainColumns) {
                message += "; did you mean '\(nearest)'?"
            } else {
                message += "; known columns: \(known.joined(separator: ", "))"
            }
            problems.append(ManifestProblem(message, at: SourcePosition(file: file, row: 1, columnName: name)))
        }
        guard columns.contains("id") else {
            problems.append(
                ManifestProblem(
                    "the CSV has no 'id' column; every row needs a unique id", at: SourcePosition(file: file, row: 1)))
            throw ManifestError(problems: problems)
        }
        var items: [ManifestNode] = []
        var rowNumber = 1
        while let row = reader.next() {
            rowNumber += 1
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let rowPosition = SourcePosition(file: file, row: rowNumber)
            guard row.count == columns.count else {
                problems.append(
                    ManifestProblem(
                        "the row has \(row.count) cells but the header names \(columns.count) columns; quote cells that hold commas",
                        at: rowPosition))
                continue
            }
            items.append(item(row: row, columns: columns, file: file, line: rowNumber))
        }
        if let error = reader.error {
            problems.append(
                ManifestProblem(
                    "not readable as CSV after row \(rowNumber): \(error)",
                    at: SourcePosition(file: file, row: rowNumber)))
        }
        if !problems.isEmpty { throw ManifestError(problems: problems) }
        let top = SourcePosition(file: file, row: 1)
        return .mapping(
            [
                (key: "version", keyPosition: top, value: .scalar("1", quoted: false, top)),
                (key: "items", keyPosition: top, value: .sequence(items, top)),
            ], top)
    }

    private static func isKnown(_ name: String) -> Bool {
        if plainColumns.contains(name) { return true }
        for prefix in ["custom.", "captions.", "chapters."] where name.hasPrefix(prefix) && name.count > prefix.count {
            return true
        }
        return false
    }

    private static func item(row: [String], columns: [String], file: String, line: Int) -> ManifestNode {
        typealias Entry = (key: String, keyPosition: SourcePosition, value: ManifestNode)
        var entries: [Entry] = []
        var custom: [Entry] = []
        var tracks: [ManifestNode] = []
        for (name, cell) in zip(columns, row) {
            let value = cell.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { continue }
            let position = SourcePosition(file: file, row: line, columnName: name)
            let scalar = ManifestNode.scalar(value, quoted: true, position)
            if name.hasPrefix("custom.") {
                custom.append((key: String(name.dropFirst("custom.".count)), keyPosition: position, value: scalar))
            } else if let dot = name.firstIndex(of: "."), ["captions", "chapters"].contains(name[..<dot]) {
                let kind = String(name[..<dot])
                let language = String(name[name.index(after: dot)...])
                tracks.append(
                    .mapping(
                        [
                            (key: "file", keyPosition: position, value: scalar),
                            (key: "kind", keyPosition: position, value: .scalar(kind, quoted: true, position)),
                            (key: "language", keyPosition: position, value: .scalar(language, quoted: true, position)),
                            (key: "label", keyPosition: position, value: .scalar(language, quoted: true, position)),
                        ], position))
            } else {
                entries.append((key: name, keyPosition: position, value: scalar))
            }
        }
        let rowPosition = SourcePosition(file: file, row: line)
        if !custom.isEmpty {
            entries.append((key: "custom", keyPosition: rowPosition, value: .mapping(custom, rowPosition)))
        }
        if !tracks.isEmpty {
            entries.append((key: "tracks", keyPosition: rowPosition, value: .sequence(tracks, rowPosition)))
        }
        return .mapping(entries, rowPosition)
    }
}
