import JWPlatform

/// The known name closest to a misspelled one, for "did you mean" hints.
enum NearestName {
    /// The candidate with the smallest edit distance to `name`, when it is close enough to be a typo.
    static func suggestion(for name: String, among candidates: [String]) -> String? {
        let lowered = name.lowercased()
        let scored = candidates.map { ($0, EditDistance.between(lowered, $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, best.0.count / 3) ? best.0 : nil
    }
}
