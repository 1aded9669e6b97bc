import Foundation

extension HTMLReport {
    /// The columns of the item table: heading, and whether it sorts as numbers.
    static let columns: [(heading: String, numeric: Bool)] = [
        ("#", true), ("Item", false), ("Outcome", true), ("Asset key", false), ("Size", true), ("MD5 sent", false),
        ("MD5 received", false), ("Time", true), ("Error", false),
    ]

    /// Where an outcome sorts: failures first, then items that did not finish, then the rest.
    static func rank(_ outcome: ItemOutcome) -> Int {
        switch outcome {
        case .failed: return 0
        case .interrupted: return 1
        case .ingested: return 2
        case .unchanged: return 3
        }
    }

    /// Every item as a row, failures first and then in manifest order; each cell carries the value its
    /// column sorts by (`data-sort`), for the page's script.
    var itemTable: String {
        let ordered = summary.results.enumerated().sorted { left, right in
            let (a, b) = (Self.rank(left.element.outcome), Self.rank(right.element.outcome))
            return a != b ? a < b : left.offset < right.offset
        }
        let headings = Self.columns.enumerated().map { index, column in
            let sorted = index == 2 ? " aria-sort=\"ascending\"" : ""
            return "<th scope=\"col\" data-type=\"\(column.numeric ? "number" : "text")\"\(sorted)>"
                + "\(Self.escaped(column.heading))</th>"
        }
        let rows = ordered.map { Self.row($0.element, position: $0.offset + 1) }
        return """
            <p class="note">\(summary.results.count) items, failures first. Click a heading to sort by it.</p>
            <div class="table-wrap">
            <table id="items-table">
            <thead><tr>\(headings.joined())</tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody>
            </table>
            </div>
            """
    }

    /// One item's row.
    static func row(_ result: ItemResult, position: Int) -> String {
        let state = result.state
        let outcome = result.outcome.name
        var key = state.mediaKey
        if case .ingested(let recorded) = result.outcome, let recorded { key = recorded }
        if case .unchanged(let recorded) = result.outcome, let recorded { key = recorded }
        let size = state.sent?.size ?? state.fileSize
        // An item that ran no stage here (unchanged, never started, or rebuilt from a journal) has no time.
        let timed = result.seconds > 0 || !result.stageTimes.isEmpty
        let mismatch = state.sent != nil && state.received != nil && state.sent?.md5 != state.received?.md5
        var itemCell = "<code>\(escaped(result.item.id))</code>"
        if let title = result.item.metadata.title, !title.isEmpty {
            itemCell += "<span class=\"title\">\(escaped(title))</span>"
        }
        let cells = [
            cell(String(position), sort: String(position), number: true),
            cell(itemCell, sort: result.item.id),
            cell("<span class=\"outcome\">\(outcome)</span>", sort: String(rank(result.outcome))),
            cell(key.map { "<code>\(escaped($0))</code>" } ?? "–", sort: key ?? ""),
            cell(
                size.map { "<span title=\"\($0) bytes\">\(TerminalProgress.bytes($0))</span>" } ?? "–",
                sort: size.map(String.init) ?? "-1", number: true),
            cell(digest(state.sent?.md5, mismatch: mismatch), sort: state.sent?.md5 ?? ""),
            cell(digest(state.received?.md5, mismatch: mismatch), sort: state.received?.md5 ?? ""),
            cell(
                timed ? String(format: "%.3f s", result.seconds) : "–",
                sort: String(format: "%.3f", result.seconds), number: true),
            cell(escaped(problem(result.outcome)), sort: problem(result.outcome), className: "error"),
        ]
        return "<tr class=\"\(outcome)\">\(cells.joined())</tr>"
    }

    /// A cell holding `html`, sorted by `sort` (escaped here).
    static func cell(_ html: String, sort: String, number: Bool = false, className: String? = nil) -> String {
        let kind = className ?? (number ? "number" : nil)
        return "<td\(kind.map { " class=\"\($0)\"" } ?? "") data-sort=\"\(escaped(sort))\">\(html)</td>"
    }

    /// An MD5 as code, red when sent and received differ.
    static func digest(_ md5: String?, mismatch: Bool) -> String {
        guard let md5 else { return "–" }
        return "<code\(mismatch ? " class=\"mismatch\"" : "")>\(escaped(md5))</code>"
    }

    /// What went wrong, as plain text (escaped by the caller): a failure's code, stage, message and
    /// comparison; where an interrupted item stopped.
    static func problem(_ outcome: ItemOutcome) -> String {
        switch outcome {
        case .failed(let error):
            var text = "[\(error.code.rawValue)] \(error.stage): \(error.message)"
            if let expected = error.expected, let seen = error.seen { text += " (expected \(expected), saw \(seen))" }
            return text
        case .interrupted(let stage):
            return stage.map { "interrupted after \($0)" } ?? "not started"
        case .ingested, .unchanged:
            return ""
        }
    }
}
