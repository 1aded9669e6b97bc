import JWPlatform

/// The nearest known word to a typo, for the "did you mean" of a ``FaultSpecError``.
enum FaultSuggestion {
    /// Words people type for a kind, mapped to the kind they mean.
    static let kindSynonyms: [String: String] = [
        "delay": "latency", "slow": "latency", "sleep": "latency", "wait": "latency", "lag": "latency",
        "disconnect": "drop", "reset": "drop", "abort": "drop", "cut": "drop", "close": "drop", "hangup": "drop",
        "checksum": "md5", "digest": "md5", "hash": "md5", "etag": "md5", "badmd5": "md5", "wrongmd5": "md5",
        "ratelimit": "429", "throttle": "429", "limit": "429", "rate": "429",
        "error": "500", "internal": "500", "fail": "500", "5xx": "500",
        "unavailable": "503", "busy": "503",
    ]

    /// The candidate nearest to `word` by edit distance, if it is near enough to be a typo of it.
    ///
    /// Near enough: at most 1 edit for words of up to 4 characters, at most 2 beyond. Ties go to the earlier
    /// candidate. A synonym (see ``kindSynonyms``) is looked up first when given.
    static func nearest(to word: String, among candidates: [String], synonyms: [String: String] = [:]) -> String? {
        let lowered = word.lowercased()
        if let meant = synonyms[lowered] { return meant }
        let limit = lowered.count <= 4 ? 1 : 2
        var best: (word: String, distance: Int)?
        for candidate in candidates {
            let distance = EditDistance.between(lowered, candidate.lowercased())
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.word
    }
}
