/// The `q` of a v2 media list: terms `field: value` or `field: "quoted value"`, separated by spaces, all
/// of which must match (docs.jwplayer.com "Building a Request"). A value matches a field exactly; an
/// unescaped `*` in it stands for any text, and a backslash escapes `*`, `\` and `"`.
///
/// Fields of a media list: `id`, `external_id`, `title`, `status`; other lists name theirs (a thumbnail
/// list: `media_id`, `id`, `status`). Another field, a term without `field:`, or a quote that never closes
/// is a `400`.
struct V2MediaQuery: Sendable, Hashable {
    /// The fields a term of a media list may name.
    static let fields = ["external_id", "id", "status", "title"]

    /// One term: a field and its pattern, literal pieces between wildcards.
    struct Term: Sendable, Hashable {
        var field: String
        var pieces: [String]
        var hasWildcard: Bool { pieces.count > 1 }
    }

    var terms: [Term] = []

    /// The query of `text` over `fields`; an empty text matches everything.
    ///
    /// - Throws: ``V2Error`` `400 invalid_query_parameter` naming `q` and what is wrong.
    init(_ text: String, fields: [String] = V2MediaQuery.fields) throws(V2Error) {
        let fieldList = fields.sorted().joined(separator: ", ")
        var characters = Substring(text)
        func skipSpaces() { while characters.first?.isWhitespace == true { characters.removeFirst() } }
        skipSpaces()
        while !characters.isEmpty {
            guard let colon = characters.firstIndex(of: ":") else {
                throw .invalidQuery("q", "\"\(characters)\" is not field: value (fields: \(fieldList))")
            }
            let field = String(characters[..<colon].trimmingCharacters())
            guard fields.contains(field) else {
                throw .invalidQuery("q", "unknown field \"\(field)\" (fields: \(fieldList))")
            }
            characters = characters[characters.index(after: colon)...]
            skipSpaces()
            var pieces = [""]
            let quoted = characters.first == "\""
            if quoted { characters.removeFirst() }
            var closed = !quoted
            while let character = characters.first {
                if quoted, character == "\"" {
                    characters.removeFirst()
                    closed = true
                    break
                }
                if !quoted, character.isWhitespace { break }
                characters.removeFirst()
                switch character {
                case "\\":
                    guard let escaped = characters.first, "*\\\"".contains(escaped) else {
                        throw .invalidQuery("q", "a backslash escapes only *, \\ and \" (in \(field))")
                    }
                    characters.removeFirst()
                    pieces[pieces.count - 1].append(escaped)
                case "*":
                    pieces.append("")
                default:
                    pieces[pieces.count - 1].append(character)
                }
            }
            guard closed else { throw .invalidQuery("q", "the quoted value of \(field) never closes") }
            guard quoted || pieces != [""] else { throw .invalidQuery("q", "\(field) has no value") }
            terms.append(Term(field: field, pieces: pieces))
            skipSpaces()
        }
    }

    /// Whether a media matches every term; `value(field)` gives the media's value of a field, `nil` when it
    /// has none (which no term matches).
    func matches(_ value: (String) -> String?) -> Bool {
        terms.allSatisfy { term in
            guard let text = value(term.field) else { return false }
            return Self.matches(text, term.pieces)
        }
    }

    /// Whether `text` is the pieces with any text between them.
    static func matches(_ text: String, _ pieces: [String]) -> Bool {
        guard pieces.count > 1 else { return text == pieces[0] }
        guard text.hasPrefix(pieces[0]), text.hasSuffix(pieces[pieces.count - 1]),
            text.count >= pieces[0].count + pieces[pieces.count - 1].count
        else { return false }
        var rest = Substring(text.dropFirst(pieces[0].count).dropLast(pieces[pieces.count - 1].count))
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let range = rest.range(of: piece) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }
}
