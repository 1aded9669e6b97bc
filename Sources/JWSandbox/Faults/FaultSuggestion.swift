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
            let distance = editDistance(lowered, candidate.lowercased())
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.word
    }

    /// Levenshtein distance, with a swap of two neighbours counted as one edit.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
