import CSV
import Foundation

/// Titles and other metadata for a scan, from a CSV keyed by path (`--metadata`).
///
/// The header names `path` (relative to the scanned folder, `/` between folders) and any of `title`,
/// `description`, `author`, `tags` (separated by `|`, or by `,` when there is no `|`), `date` (ISO 8601
/// or Unix seconds), `link` and `custom.<name>`. Empty cells are left out. The file is read as a manifest
/// is: a regular file of at most 64 MiB, RFC 4180 quoting.
public struct ScanMetadata: Sendable {
    /// One row: the values it gives.
    struct Row: Sendable {
        var line: Int
        var title: String?
        var description: String?
        var author: String?
        var tags: [String] = []
        var date: String?
        var link: String?
        var custom: [ScannedField] = []
    }

    /// The columns besides `custom.<name>`.
    static let columns = ["path", "title", "description", "author", "tags", "date", "link"]

    private var rows: [String: Row] = [:]
    /// The file's name, for warnings.
    let file: String

    /// The number of rows.
    public var count: Int { rows.count }

    /// Reads a metadata CSV.
    ///
    /// - Parameter url: The CSV file.
    /// - Returns: The rows, keyed by path.
    /// - Throws: ``ScanError`` (``ScanError/Code/metadata``) for a missing or unreadable file, a header
    ///   without `path` or with an unknown column, a row of the wrong width, a path given twice or absolute,
    ///   a bad date.
    public static func load(from url: URL) throws -> ScanMetadata {
        let data: Data
        do {
            data = try ManifestFile.read(url)
        } catch {
            throw ScanError(
                .metadata,
                "--metadata \(url.relativePath): "
                    + "\(error)".replacingOccurrences(of: "the manifest", with: "the file"))
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw ScanError(.metadata, "--metadata \(url.relativePath) is not UTF-8 text; save it as UTF-8")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try parse(text, file: url.relativePath)
    }

    /// Parses metadata CSV text.
    ///
    /// - Parameters:
    ///   - text: The CSV.
    ///   - file: How messages name it.
    /// - Returns: The rows, keyed by path.
    /// - Throws: ``ScanError`` as ``load(from:)`` does.
    public static func parse(_ text: String, file: String) throws -> ScanMetadata {
        func failure(_ message: String, line: Int) -> ScanError {
            ScanError(.metadata, "--metadata \(file), row \(line): \(message)")
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw failure("not readable as CSV: \(error)", line: 1)
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        guard header.contains("path") else {
            throw failure("the header names no 'path' column; the first line names the columns (path,title,…)", line: 1)
        }
        for name in header where !columns.contains(name) {
            guard name.hasPrefix("custom."), name.count > "custom.".count else {
                var message = "unknown column '\(name)'"
                if let nearest = NearestName.suggestion(for: name, among: columns) {
                    message += "; did you mean '\(nearest)'?"
                } else {
                    message += "; known columns: \(columns.joined(separator: ", ")), custom.<name>"
                }
                throw failure(message, line: 1)
            }
            guard name != "custom.ingest_id" else {
                throw failure("custom.ingest_id is set by jwingest from the item's id; remove the column", line: 1)
            }
        }
        var metadata = ScanMetadata(file: file)
        var values = ManifestValueReader()
        var line = 1
        while let cells = reader.next() {
            line += 1
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard cells.count == header.count else {
                throw failure(
                    "the row has \(cells.count) cells but the header names \(header.count) columns; quote cells that hold commas",
                    line: line)
            }
            var row = Row(line: line)
            var path = ""
            for (name, cell) in zip(header, cells) {
                let value = cell.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !value.isEmpty else { continue }
                switch name {
                case "path": path = value
                case "title": row.title = value
                case "description": row.description = value
                case "author": row.author = value
                case "link": row.link = value
                case "tags":
                    row.tags = values.textList(.scalar(value, quoted: true, SourcePosition(file: file)), "tags") ?? []
                case "date":
                    let node = ManifestNode.scalar(value, quoted: true, SourcePosition(file: file, row: line))
                    guard values.date(node, "date") != nil else {
                        values.problems.removeAll()
                        throw failure(
                            "date must be an ISO 8601 date (2024-05-01 or 2024-05-01T10:00:00Z) or Unix seconds, "
                                + "not \(value.debugDescription)", line: line)
                    }
                    row.date = value
                default: row.custom.append(ScannedField(name: String(name.dropFirst("custom.".count)), value: value))
                }
            }
            guard !path.isEmpty else { throw failure("the row has no path", line: line) }
            guard !path.hasPrefix("/") else {
                throw failure(
                    "path \(path.debugDescription) is absolute; give it relative to the scanned folder", line: line)
            }
            let key = normalized(path)
            if let earlier = metadata.rows[key] {
                throw failure("path \(path.debugDescription) is given twice (first on row \(earlier.line))", line: line)
            }
            metadata.rows[key] = row
        }
        if let error = reader.error {
            throw failure("not readable as CSV: \(error)", line: line)
        }
        return metadata
    }

    /// The row of `relativePath`, if any.
    func row(for relativePath: String) -> Row? { rows[relativePath] }

    /// The rows whose path is not in `used`, in line order, as warnings.
    func unusedRows(_ used: Set<String>) -> [String] {
        rows.filter { !used.contains($0.key) }.sorted { $0.value.line < $1.value.line }.map {
            "--metadata \(file), row \($0.value.line): path \($0.key.debugDescription) names no media item of the scan "
                + "(no such file, not media, or excluded)"
        }
    }

    /// `./a//b.mp4` → `a/b.mp4`.
    static func normalized(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }.joined(separator: "/")
    }
}
