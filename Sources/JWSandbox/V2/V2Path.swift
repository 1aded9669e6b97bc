import HTTPTypes

/// A path of the sandbox's v2 API, matched with or without its trailing slash, and named by its route:
/// the method and the path with ids replaced (`POST /v2/sites/{site_id}/media/`), as the v2 client names
/// it for pacing (`V2Route.name`: the segment after `media`, `thumbnails`, `text_tracks` or `uploads` is
/// `{id}`). Rate windows, tallies and fault scopes are per route.
struct V2Path: Sendable, Hashable {
    /// What the path addresses.
    enum Resource: Sendable, Hashable {
        /// `/v2/sites/{site_id}/media/`.
        case mediaCollection(site: String)
        /// `/v2/sites/{site_id}/media/{id}/`.
        case media(site: String, id: String)
        /// `/v2/sites/{site_id}/media/{id}/reupload/`.
        case reupload(site: String, id: String)
        /// `/v2/sites/{site_id}/thumbnails/`.
        case thumbnailCollection(site: String)
        /// `/v2/sites/{site_id}/thumbnails/{id}/`.
        case thumbnail(site: String, id: String)
        /// `/v2/sites/{site_id}/media/{id}/text_tracks/`.
        case textTrackCollection(site: String, mediaID: String)
        /// `/v2/sites/{site_id}/media/{id}/text_tracks/{id}/`.
        case textTrack(site: String, mediaID: String, id: String)
        /// `/v2/uploads/{id}/parts`.
        case uploadParts(uploadID: String)
        /// `/v2/uploads/{id}/complete`.
        case uploadComplete(uploadID: String)
    }

    var resource: Resource

    /// The path with ids replaced, in its canonical form: site resources end in `/`, upload paths do not
    /// (as the official Python client sends them).
    var pattern: String {
        switch resource {
        case .mediaCollection: "/v2/sites/{site_id}/media/"
        case .media: "/v2/sites/{site_id}/media/{id}/"
        case .reupload: "/v2/sites/{site_id}/media/{id}/reupload/"
        case .thumbnailCollection: "/v2/sites/{site_id}/thumbnails/"
        case .thumbnail: "/v2/sites/{site_id}/thumbnails/{id}/"
        case .textTrackCollection: "/v2/sites/{site_id}/media/{id}/text_tracks/"
        case .textTrack: "/v2/sites/{site_id}/media/{id}/text_tracks/{id}/"
        case .uploadParts: "/v2/uploads/{id}/parts"
        case .uploadComplete: "/v2/uploads/{id}/complete"
        }
    }

    /// The methods the path answers.
    var methods: [HTTPRequest.Method] {
        switch resource {
        case .mediaCollection, .thumbnailCollection, .textTrackCollection: [.get, .post]
        case .media, .thumbnail, .textTrack: [.get, .patch, .delete]
        case .reupload: [.put, .post]
        case .uploadParts: [.get]
        case .uploadComplete: [.put]
        }
    }

    /// The site the path names, for the site resources.
    var site: String? {
        switch resource {
        case .mediaCollection(let site), .media(let site, _), .reupload(let site, _), .thumbnailCollection(let site),
            .thumbnail(let site, _), .textTrackCollection(let site, _), .textTrack(let site, _, _):
            site
        case .uploadParts, .uploadComplete: nil
        }
    }

    /// The route of a call with `method`: `GET /v2/sites/{site_id}/media/{id}/`.
    func route(_ method: HTTPRequest.Method) -> String { "\(method.rawValue) \(pattern)" }

    /// The fault scope of the path: an API call named by ``pattern`` without its trailing slash.
    var faultScope: FaultScope { .call(pattern) }

    /// Every route's path as a fault rule names it (``pattern`` without its trailing slash).
    static let faultPaths: [String] = [
        "/v2/sites/{site_id}/media", "/v2/sites/{site_id}/media/{id}", "/v2/sites/{site_id}/media/{id}/reupload",
        "/v2/sites/{site_id}/thumbnails", "/v2/sites/{site_id}/thumbnails/{id}",
        "/v2/sites/{site_id}/media/{id}/text_tracks", "/v2/sites/{site_id}/media/{id}/text_tracks/{id}",
        "/v2/uploads/{id}/parts", "/v2/uploads/{id}/complete",
    ]

    /// The v2 path `path` names, or `nil` when the sandbox has none there. Empty segments (a trailing
    /// slash, or none) do not count.
    static func match(_ path: String) -> V2Path? {
        let segments = path.split(separator: "/").map(String.init)
        guard segments.first == "v2" else { return nil }
        let parts = Array(segments.dropFirst())
        if parts.count >= 3, parts[0] == "sites" { return matchSite(parts[1], Array(parts.dropFirst(2))) }
        guard parts.count == 3, parts[0] == "uploads" else { return nil }
        switch parts[2] {
        case "parts": return V2Path(resource: .uploadParts(uploadID: parts[1]))
        case "complete": return V2Path(resource: .uploadComplete(uploadID: parts[1]))
        default: return nil
        }
    }

    /// The resource of a site's path after `/v2/sites/{site_id}/`.
    private static func matchSite(_ site: String, _ rest: [String]) -> V2Path? {
        let resource: Resource
        switch (rest.first, rest.count) {
        case ("media", 1): resource = .mediaCollection(site: site)
        case ("media", 2): resource = .media(site: site, id: rest[1])
        case ("media", 3) where rest[2] == "reupload": resource = .reupload(site: site, id: rest[1])
        case ("media", 3) where rest[2] == "text_tracks": resource = .textTrackCollection(site: site, mediaID: rest[1])
        case ("media", 4) where rest[2] == "text_tracks":
            resource = .textTrack(site: site, mediaID: rest[1], id: rest[3])
        case ("thumbnails", 1): resource = .thumbnailCollection(site: site)
        case ("thumbnails", 2): resource = .thumbnail(site: site, id: rest[1])
        default: return nil
        }
        return V2Path(resource: resource)
    }

    /// A route for a path the sandbox does not serve, for the rate-limit headers of its `404`.
    static func unknownRoute(_ method: HTTPRequest.Method) -> String { "\(method.rawValue) /v2/…" }
}
