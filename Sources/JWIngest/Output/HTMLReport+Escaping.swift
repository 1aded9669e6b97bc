import Foundation

extension HTMLReport {
    /// `text` safe to put in HTML and SVG, as element content or as a quoted attribute's value: `&`, `<`,
    /// `>`, `"` and `'` as character references, and control characters other than tab and line breaks
    /// (which a hostile server may send in an error) as U+FFFD. Item ids, titles and errors come from
    /// manifests and servers: every one goes through here.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) {
                    result += "\u{FFFD}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
