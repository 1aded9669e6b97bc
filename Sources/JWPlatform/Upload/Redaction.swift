/// Hides secrets in text that may be printed: upload tokens, S3 signatures, API secrets.
public enum Redaction {
    /// The query parameters whose values are secrets: `token`, `Signature`, `api_secret`.
    public static let secretParameters: Set<String> = ["token", "signature", "api_secret"]

    /// Whether the value of a parameter named `name` is a secret (case-insensitive).
    public static func isSecretParameter(_ name: some StringProtocol) -> Bool {
        secretParameters.contains(name.lowercased())
    }

    /// `url` with the value of every secret query parameter replaced by `<redacted>`.
    public static func redact(url: String) -> String {
        guard let questionMark = url.firstIndex(of: "?") else { return url }
        let query = url[url.index(after: questionMark)...]
        let parts = query.split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
            guard let equals = part.firstIndex(of: "="), isSecretParameter(part[..<equals]) else { return String(part) }
            return part[...equals] + "<redacted>"
        }
        return url[...questionMark] + parts.joined(separator: "&")
    }
}
