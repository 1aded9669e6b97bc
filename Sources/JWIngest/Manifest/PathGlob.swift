/// A glob of `--include` / `--exclude`, matched against a path (relative to the scanned folder for
/// `scan`; an item's id, path or URL when picking items).
///
/// `*` and `?` match within one folder name, `**` matches across folders (`**/` also matches no folder),
/// `[abc]`, `[a-z]` and `[!a]` match one character, and `\` escapes the next one. A pattern without `/`
/// is matched against the file's name, in whatever folder it is (as `.gitignore` does): `*.tmp` excludes
/// every `.tmp` file.
struct PathGlob: Sendable, Hashable {
    let pattern: String
    private let scalars: [Unicode.Scalar]
    private let matchesName: Bool

    init(_ pattern: String) {
        var text = pattern
        while text.hasPrefix("./") { text.removeFirst(2) }
        self.pattern = pattern
        self.scalars = Array(text.unicodeScalars)
        self.matchesName = !text.contains("/")
    }

    /// Whether `relativePath` (folders separated by `/`) matches.
    func matches(_ relativePath: String) -> Bool {
        var subject = Substring(relativePath)
        if matchesName, let slash = subject.lastIndex(of: "/") {
            subject = subject[subject.index(after: slash)...]
        }
        return Self.match(scalars, 0, Array(subject.unicodeScalars), 0)
    }

    private static func match(_ pattern: [Unicode.Scalar], _ start: Int, _ text: [Unicode.Scalar], _ from: Int) -> Bool
    {
        var pi = start
        var si = from
        while pi < pattern.count {
            let c = pattern[pi]
            if c == "*" {
                if pi + 1 < pattern.count, pattern[pi + 1] == "*" {
                    let next = pi + 2
                    if next < pattern.count, pattern[next] == "/", match(pattern, next + 1, text, si) { return true }
                    for k in si...text.count where match(pattern, next, text, k) { return true }
                    return false
                }
                var k = si
                while true {
                    if match(pattern, pi + 1, text, k) { return true }
                    guard k < text.count, text[k] != "/" else { return false }
                    k += 1
                }
            }
            guard si < text.count else { return false }
            switch c {
            case "?":
                guard text[si] != "/" else { return false }
                pi += 1
            case "[":
                guard let (matched, end) = matchClass(pattern, pi, text[si]) else {
                    guard text[si] == "[" else { return false }
                    pi += 1
                    si += 1
                    continue
                }
                guard matched else { return false }
                pi = end
            case "\\" where pi + 1 < pattern.count:
                guard text[si] == pattern[pi + 1] else { return false }
                pi += 2
            default:
                guard text[si] == c else { return false }
                pi += 1
            }
            si += 1
        }
        return si == text.count
    }

    /// Whether `character` is in the class opening at `open`, and the index after the class; `nil` when
    /// the class is not closed (the `[` is then a plain character).
    private static func matchClass(
        _ pattern: [Unicode.Scalar], _ open: Int, _ character: Unicode.Scalar
    ) -> (Bool, Int)? {
        var index = open + 1
        var negated = false
        if index < pattern.count, pattern[index] == "!" || pattern[index] == "^" {
            negated = true
            index += 1
        }
        var found = false
        var first = true
        while index < pattern.count {
            let low = pattern[index]
            if low == "]", !first { return (found != negated && character != "/", index + 1) }
            first = false
            if index + 2 < pattern.count, pattern[index + 1] == "-", pattern[index + 2] != "]" {
                if low.value <= character.value, character.value <= pattern[index + 2].value { found = true }
                index += 3
            } else {
                if low == character { found = true }
                index += 1
            }
        }
        return nil
    }
}
