/// Hides secrets in text that may be printed: upload tokens, the signatures, credentials and session
/// tokens of presigned URLs (S3, Google Cloud Storage, Azure SAS), API secrets, and passwords written into
/// URLs.
public enum Redaction {
    /// The names whose values are secrets, compared case-insensitively: `token`, `Signature`, `api_secret`,
    /// v2's `upload_token`, `v2_secret` and `Authorization` (its Bearer secret), and the presigned-URL parameters `X-Amz-Signature`, `X-Amz-Security-Token`, `X-Amz-Credential`,
    /// `X-Goog-Signature`, `X-Goog-Credential` and `sig` (Azure).
    public static let secretParameters: Set<String> = [
        "token", "signature", "api_secret", "upload_token", "v2_secret", "authorization", "x-amz-signature",
        "x-amz-security-token", "x-amz-credential",
        "x-goog-signature", "x-goog-credential", "sig",
    ]

    /// The secret names looked for in free text: every one of ``secretParameters`` except `sig`, which is
    /// too short to tell from words (`design`) outside a URL's query, where ``redact(url:)`` finds it.
    static let textSecretNames: [[Character]] = secretParameters.filter { $0 != "sig" }.map { Array($0) }

    /// The text that stands in for a secret.
    public static let placeholder = "<redacted>"

    /// Whether the value of a parameter or member named `name` is a secret (case-insensitive).
    public static func isSecretParameter(_ name: some StringProtocol) -> Bool {
        secretParameters.contains(name.lowercased())
    }

    /// `url` with the value of every secret query parameter and the password of its user information
    /// (`https://user:password@host`) replaced by `<redacted>`.
    public static func redact(url: String) -> String {
        let shown = hidingPassword(in: url)
        // On UTF-8 bytes, one pass and one copy: the split and join of substrings cost a measurable part of
        // every upload, whose link is named in its errors (issue 14).
        let bytes = shown.utf8
        guard let questionMark = bytes.firstIndex(of: UInt8(ascii: "?")) else { return shown }
        var redacted: [UInt8] = []
        redacted.reserveCapacity(bytes.count + placeholder.utf8.count)
        redacted.append(contentsOf: bytes[...questionMark])
        var start = bytes.index(after: questionMark)
        while true {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.endIndex
            let part = bytes[start..<end]
            if let equals = part.firstIndex(of: UInt8(ascii: "=")), isSecretParameter(utf8: part[..<equals]) {
                redacted.append(contentsOf: part[...equals])
                redacted.append(contentsOf: placeholder.utf8)
            } else {
                redacted.append(contentsOf: part)
            }
            guard end != bytes.endIndex else { break }
            redacted.append(UInt8(ascii: "&"))
            start = bytes.index(after: end)
        }
        return String(decoding: redacted, as: UTF8.self)
    }

    /// ``isSecretParameter(_:)`` for a name in UTF-8 bytes: ASCII compared without making a string; any
    /// other name through Unicode lowercasing, as a string (the Kelvin sign lowercases to `k`).
    static func isSecretParameter(utf8 name: Substring.UTF8View.SubSequence) -> Bool {
        guard name.allSatisfy({ $0 < 0x80 }) else { return isSecretParameter(String(Substring(name))) }
        return secretParameterBytes.contains { secret in
            secret.count == name.count
                && zip(secret, name).allSatisfy { $0 == ($1 >= 0x41 && $1 <= 0x5A ? $1 | 0x20 : $1) }
        }
    }

    /// ``secretParameters`` in UTF-8 bytes.
    private static let secretParameterBytes: [[UInt8]] = secretParameters.map { Array($0.utf8) }

    /// `url` with the password of its user information replaced; unchanged when it has none.
    static func hidingPassword(in url: String) -> String {
        // On UTF-8 bytes: Foundation's `range(of:)` bridged to NSString on every upload (issue 14).
        let bytes = url.utf8
        guard let authorityStart = bytes.firstRange(ofBytes: "://".utf8)?.upperBound else { return url }
        let authorityEnd =
            bytes[authorityStart...].firstIndex {
                $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
            }
            ?? bytes.endIndex
        let authority = bytes[authorityStart..<authorityEnd]
        guard let at = authority.lastIndex(of: UInt8(ascii: "@")),
            let colon = authority[..<at].firstIndex(of: UInt8(ascii: ":"))
        else {
            return url
        }
        return String(url[...colon]) + placeholder + String(url[at...])
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

    /// Raw answer text or an error message (in any format, possibly cut short) with every secret hidden.
    ///
    /// Every URL in it (`scheme://…` up to a space or a quote) is redacted as ``redact(url:)`` does. Then,
    /// after each secret name but `sig` (any case), the first run of eight or more token characters
    /// (letters, digits, `+ / = % _ -`) within the next 24 characters is replaced, so that JSON
    /// (`"token":"…"`), XML (`<token>…`), PHP (`s:5:"token";s:40:"…"`) and pickles all lose the value.
    public static func redact(bodyText text: String) -> String {
        let characters = Array(redactingURLs(in: text))
        var output = ""
        var index = 0
        while index < characters.count {
            guard let name = textSecretNames.first(where: { matches($0, in: characters, at: index) }) else {
                output.append(characters[index])
                index += 1
                continue
            }
            output += String(characters[index..<(index + name.count)])
            index += name.count
            var cursor = index
            while cursor < min(characters.count, index + 24) {
                // Another secret name (`</token><Signature>`) ends the search: its own value follows it; a
                // value already hidden (by the URL pass) needs nothing more.
                if textSecretNames.contains(where: { matches($0, in: characters, at: cursor) })
                    || matches(placeholderCharacters, in: characters, at: cursor)
                {
                    break
                }
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

    private static let placeholderCharacters = Array(placeholder)

    /// `text` with every URL in it redacted by ``redact(url:)``.
    static func redactingURLs(in text: String) -> String {
        guard text.contains("://") else { return text }
        var output = ""
        var rest = text[...]
        while let scheme = rest.range(of: "://") {
            // The scheme: letters, digits, + . - before `://`.
            var start = scheme.lowerBound
            while start > rest.startIndex {
                let before = rest.index(before: start)
                guard rest[before].isASCII,
                    rest[before].isLetter || rest[before].isNumber || "+.-".contains(rest[before])
                else { break }
                start = before
            }
            let end =
                rest[scheme.upperBound...].firstIndex { $0.isWhitespace || "\"'<>`\\".contains($0) } ?? rest.endIndex
            output += rest[..<start]
            output += redact(url: String(rest[start..<end]))
            rest = rest[end...]
        }
        return output + rest
    }

    private static func matches(_ name: [Character], in text: [Character], at index: Int) -> Bool {
        guard index + name.count <= text.count else { return false }
        return text[index..<(index + name.count)].elementsEqual(name) { $0.lowercased() == String($1) }
    }

    private static func isTokenCharacter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return PercentEncoding.isUnreserved(ascii) || "+/=%".utf8.contains(ascii)
    }
}
