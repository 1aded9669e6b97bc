/// The paths of the v2 API: `{site_id}` filled in, checked, and named by their route for pacing, retries
/// and messages (ids replaced by placeholders, so that every media's `GET` shares one window).
enum V2Route {
    /// The collections whose next segment is an object id.
    static let collections: Set<String> = ["media", "thumbnails", "text_tracks", "uploads", "sites", "webhooks"]

    /// `path` with `{site_id}` replaced and a leading `/v2/` ensured.
    ///
    /// - Throws: ``CallNameError`` for a path with characters other than letters, digits and `/ _ . - { }`,
    ///   with `..` or `//`.
    static func resolve(_ path: String, siteID: String) throws -> String {
        var resolved = path.replacingOccurrences(of: "{site_id}", with: siteID)
            .replacingOccurrences(of: "{site}", with: siteID)
        if !resolved.hasPrefix("/") { resolved = "/" + resolved }
        if !resolved.hasPrefix("/v2/") { resolved = "/v2" + resolved }
        let allowed = resolved.utf8.allSatisfy { PercentEncoding.isUnreserved($0) || $0 == UInt8(ascii: "/") }
        guard allowed, !resolved.contains("//"), !resolved.split(separator: "/").contains("..") else {
            throw CallNameError(call: path)
        }
        return resolved
    }

    /// The route of a resolved path: `GET /v2/sites/{site_id}/media/{id}/`.
    static func name(method: String, path: String, siteID: String) -> String {
        var segments: [String] = []
        var previous = ""
        for segment in path.split(separator: "/", omittingEmptySubsequences: false).map(String.init) {
            if previous == "sites" && segment == siteID {
                segments.append("{site_id}")
            } else if collections.contains(previous) && !segment.isEmpty {
                segments.append("{id}")
            } else {
                segments.append(segment)
            }
            previous = segment
        }
        return method + " " + segments.joined(separator: "/")
    }
}
