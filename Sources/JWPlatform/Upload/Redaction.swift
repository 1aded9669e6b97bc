/// Hides secrets in text that may be printed: upload tokens, S3 signatures, API secrets.
public enum Redaction {
    /// The names whose values are secrets: `token`, `Signature`, `api_secret` (compared case-insensitively).
    public static let secretParameters: Set<String> = ["token", "signature", "api_secret"]

    /// The text that stands in for a secret.
    public static let placeholder = "<redacted>"

    /// Whether the value of a parameter or member named `name` is a secret (case-insensitive).
    public static func isSecretParameter(_ name: some StringProtocol) -> Bool {
        secretParameters.contains(name.lowercased())
    }

    /// `url` with the value of every secret query parameter replaced by `<redacted>`.
    public static func redact(url: String) -> String {
        guard let questionMark = url.firstIndex(of: "?") else { return url }
        let query = url[url.index(after: questionMark)...]
        let parts = query.split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
            guard let equals = part.firstIndex(of: "="), isSecretParameter(part[..<equals]) else { return String(part) }
            return part[...equals] + placeholder
        }
        return url[...questionMark] + parts.joined(separator: "&")
    }

    /// `tree` with the value of every member whose name is a secret replaced by `"<redacted>"`, at any depth.
    public static func redact(tree: APIValue) -> APIValue {
        switch tree {
        case .object(let object):
            return .object(
                APIObject(
                    object.members.map { member in
                        let hidden = isSecretParameter(member.key) && member.value.text != nil
                        return (member.key, hidden ? .string(placeholder) : redact(tree: member.value))
                    }))
        case .array(let elements):
            return .array(elements.map(redact(tree:)))
        case .null, .bool, .int, .double, .string:
            return tree
        }
    }

    /// Raw answer text (in any format, possibly cut short) with the value after every secret name hidden.
    ///
    /// After each `token`, `signature` or `api_secret` (any case), the first run of eight or more
    /// token characters (letters, digits, `+ / = % _ -`) within the next 24 characters is replaced, so that
    /// JSON (`"token":"…"`), XML (`<token>…`), PHP (`s:5:"token";s:40:"…"`) and pickles all lose the value.
    public static func redact(bodyText text: String) -> String {
        let characters = Array(text)
        var output = ""
        var index = 0
        while index < characters.count {
            guard let name = secretNames.first(where: { matches($0, in: characters, at: index) }) else {
                output.append(characters[index])
                index += 1
                continue
            }
            output += String(characters[index..<(index + name.count)])
            index += name.count
            var cursor = index
            while cursor < min(characters.count, index + 24) {
                // Another secret name (`</token><Signature>`) ends the search: its own value follows it.
                if secretNames.contains(where: { matches($0, in: characters, at: cursor) }) { break }
                guard isTokenCharacter(characters[cursor]) else {
                    cursor += 1
                    continue
                }
                var end = cursor
                while end < characters.count, isTokenCharacter(characters[end]) { end += 1 }
                if end - cursor >= 8 {
                    output += String(characters[index..<cursor]) + placeholder
                    index = end
                    break
                }
                cursor = end
            }
        }
        return output
    }

    private static let secretNames: [[Character]] = secretParameters.map { Array($0) }

    private static func matches(_ name: [Character], in text: [Character], at index: Int) -> Bool {
        guard index + name.count <= text.count else { return false }
        return text[index..<(index + name.count)].elementsEqual(name) { $0.lowercased() == String($1) }
    }

    private static func isTokenCharacter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return PercentEncoding.isUnreserved(ascii) || "+/=%".utf8.contains(ascii)
    }
}
