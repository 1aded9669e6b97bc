/// Titles from file names: `my_great-video.mp4` → `My great video`.
enum ScanTitles {
    /// The extension dropped, `_` and `-` read as spaces, spaces collapsed, the first letter capitalized;
    /// the name itself when nothing is left.
    static func title(forFileName name: String) -> String {
        var stem = Substring(name)
        if let dot = stem.lastIndex(of: "."), dot != stem.startIndex { stem = stem[..<dot] }
        let words = stem.split(whereSeparator: { $0 == "_" || $0 == "-" || $0.isWhitespace })
        guard let first = words.first?.first else { return name }
        let joined = words.joined(separator: " ")
        return first.uppercased() + joined.dropFirst()
    }
}
