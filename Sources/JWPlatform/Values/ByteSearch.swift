/// Searches in UTF-8 bytes, written here so that the compiler specializes them for the views they run on:
/// the standard library's `firstRange(of:)` goes through `_StringProcessing`'s generic searcher, whose
/// metadata lookups cost more than the search on every API call and upload (issue 14).
extension Collection where Element == UInt8 {
    /// Where `pattern` first occurs in these bytes, or `nil`.
    func firstRange(ofBytes pattern: some Collection<UInt8>) -> Range<Index>? {
        guard let first = pattern.first else { return startIndex..<startIndex }
        var start = startIndex
        while let candidate = self[start...].firstIndex(of: first) {
            var position = candidate
            var matched = true
            for byte in pattern {
                guard position != endIndex, self[position] == byte else {
                    matched = false
                    break
                }
                formIndex(after: &position)
            }
            if matched { return candidate..<position }
            start = index(after: candidate)
        }
        return nil
    }
}
