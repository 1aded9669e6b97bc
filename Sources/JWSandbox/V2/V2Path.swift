import HTTPTypes

/// A path of the sandbox's v2 API, matched with or without its trailing slash, and named by its route:
/// the method and the path with ids replaced (`POST /v2/sites/{site_id}/media/`), as the v2 client names
/// it for pacing. Rate windows, tallies and fault scopes are per route.
struct V2Path: Sendable, Hashable {
    /// What the path addresses.
    enum Resource: Sendable, Hashable {
        /// `/v2/sites/{site_id}/media/`.
        case mediaCollection(site: String)
        /// `/v2/sites/{site_id}/media/{id}/`.
        case media(site: String, id: String)
        /// `/v2/sites/{site_id}/media/{id}/reupload/`.
        case reupload(site: String, id: String)
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
        case .uploadParts: "/v2/uploads/{id}/parts"
        case .uploadComplete: "/v2/uploads/{id}/complete"
        }
    }

    /// The methods the path answers.
    var methods: [HTTPRequest.Method] {
        switch resource {
        case .mediaCollection: [.get, .post]
        case .media: [.get, .patch, .delete]
        case .reupload: [.put, .post]
        case .uploadParts: [.get]
        case .uploadComplete: [.put]
        }
    }

    /// The site the path names, for the site resources.
    var site: String? {
        switch resource {
        case .mediaCollection(let site), .media(let site, _), .reupload(let site, _): site
        case .uploadParts, .uploadComplete: nil
        }
    }

    /// The route of a call with `method`: `GET /v2/sites/{site_id}/media/{id}/`.
    func route(_ method: HTTPRequest.Method) -> String { "\(method.rawValue) \(pattern)" }

    /// The fault scope of the path: an API call named by ``pattern`` without its trailing slash.
    var faultScope: FaultScope { .call(pattern) }

    /// The v2 path `path` names, or `nil` when the sandbox has none there. Empty segments (a trailing
    /// slash, or none) do not count.
    static func match(_ path: String) -> V2Path? {
        let segments = path.split(separator: "/").map(String.init)
        guard segments.first == "v2" else { return nil }
        switch Array(segments.dropFirst()) {
        case let parts where parts.count == 3 && parts[0] == "sites" && parts[2] == "media":
            return V2Path(resource: .mediaCollection(site: parts[1]))
        case let parts where parts.count == 4 && parts[0] == "sites" && parts[2] == "media":
            return V2Path(resource: .media(site: parts[1], id: parts[3]))
        case let parts where parts.count == 5 && parts[0] == "sites" && parts[2] == "media" && parts[4] == "reupload":
            return V2Path(resource: .reupload(site: parts[1], id: parts[3]))
        case let parts where parts.count == 3 && parts[0] == "uploads" && parts[2] == "parts":
            return V2Path(resource: .uploadParts(uploadID: parts[1]))
        case let parts where parts.count == 3 && parts[0] == "uploads" && parts[2] == "complete":
            return V2Path(resource: .uploadComplete(uploadID: parts[1]))
        default:
            return nil
        }
    }

    /// A route for a path the sandbox does not serve, for the rate-limit headers of its `404`.
    static func unknownRoute(_ method: HTTPRequest.Method) -> String { "\(method.rawValue) /v2/…" }
}
