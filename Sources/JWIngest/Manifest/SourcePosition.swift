/// Where in a manifest something was written: a file with a line and column (YAML, JSON) or a row and
/// column name (CSV).
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    /// The manifest's path as the user gave it.
    public var file: String
    /// The 1-based line, when known.
    public var line: Int?
    /// The 1-based column, when known.
    public var column: Int?
    /// For CSV: the 1-based record, the header being 1 (a quoted cell may span lines, so it is not a line).
    public var row: Int?
    /// For CSV: the name of the column.
    public var columnName: String?

    /// Creates a position.
    public init(file: String, line: Int? = nil, column: Int? = nil, row: Int? = nil, columnName: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.row = row
        self.columnName = columnName
    }

    /// `demo.yaml:12:5`, or `migration.csv row 4 (column title)` for a CSV cell.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        if let row { text += " row \(row)" }
        if let columnName { text += " (column \(columnName))" }
        return text
    }
}
