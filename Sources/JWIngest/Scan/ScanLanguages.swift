/// Labels of caption tracks, from the language code in a sidecar's name (`ep1.en.vtt` → `English`).
enum ScanLanguages {
    /// Common codes and their English names; other codes are their own label.
    static let names: [String: String] = [
        "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish",
        "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "eu": "Basque",
        "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish", "he": "Hebrew", "hi": "Hindi",
        "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "is": "Icelandic", "it": "Italian",
        "ja": "Japanese", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "ms": "Malay", "nb": "Norwegian",
        "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
        "sk": "Slovak", "sl": "Slovenian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil",
        "th": "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
        "zh": "Chinese", "pt-br": "Portuguese (Brazil)", "pt-pt": "Portuguese (Portugal)",
        "es-419": "Spanish (Latin America)", "en-gb": "English (UK)", "en-us": "English (US)",
        "fr-ca": "French (Canada)", "zh-hans": "Chinese (Simplified)", "zh-hant": "Chinese (Traditional)",
        "zh-cn": "Chinese (China)", "zh-tw": "Chinese (Taiwan)",
    ]

    /// The label of `code`: its name when known, the primary language's name with the code for an unknown
    /// region (`de-AT` → `German (de-AT)`), else the code itself.
    static func label(for code: String) -> String {
        let lowered = code.lowercased()
        if let name = names[lowered] { return name }
        if let dash = lowered.firstIndex(of: "-"), let name = names[String(lowered[..<dash])] {
            return "\(name) (\(code))"
        }
        return code
    }

    /// Whether `text` reads as a language code: 2 or 3 letters, then optional `-` subtags of 2 to 8 letters
    /// or digits (`en`, `pt-BR`, `zh-Hant`, `es-419`).
    static func isCode(_ text: Substring) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = parts.first, (2...3).contains(primary.count),
            primary.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic })
        else { return false }
        return parts.dropFirst().allSatisfy { part in
            (2...8).contains(part.count)
                && part.unicodeScalars.allSatisfy {
                    $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0)
                }
        }
    }
}
