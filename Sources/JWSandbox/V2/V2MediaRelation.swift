import JWPlatform

/// The `relationships.media` of a v2 thumbnail's create or `PATCH`: one entry, `{"id"?, "is_poster"?}`.
/// Other members are ignored.
struct V2MediaRelation: Sendable, Hashable {
    /// The media id, when given.
    var mediaID: String?
    /// Whether the thumbnail is to be its media's poster, when given.
    var isPoster: Bool?

    /// The relation `body` names.
    ///
    /// - Parameter requiresID: Whether `relationships.media[0].id` must be there (a create).
    /// - Throws: ``V2Error`` `400 invalid_body` naming the missing or malformed field.
    init(_ body: APIObject?, requiresID: Bool) throws(V2Error) {
        guard let relationships = body?["relationships"], relationships != .null else {
            guard !requiresID else { throw .invalidBody("relationships", "is required: {\"media\": [{\"id\": …}]}") }
            return
        }
        guard let members = relationships.objectValue else {
            throw .invalidBody("relationships", "must be an object: {\"media\": [{\"id\": …}]}")
        }
        guard let list = members["media"], list != .null else {
            guard !requiresID else { throw .invalidBody("relationships.media", "is required: [{\"id\": …}]") }
            return
        }
        guard let entries = list.arrayValue, entries.count == 1, let entry = entries[0].objectValue else {
            throw .invalidBody("relationships.media", "must be a list of one media: [{\"id\": …}]")
        }
        switch entry["id"] {
        case .string(let id)? where !id.isEmpty: mediaID = id
        case nil, .null?:
            if requiresID { throw .invalidBody("relationships.media[0].id", "is required") }
        default: throw .invalidBody("relationships.media[0].id", "must be a media id")
        }
        switch entry["is_poster"] {
        case .bool(let value)?: isPoster = value
        case nil, .null?: break
        default: throw .invalidBody("relationships.media[0].is_poster", "must be true or false")
        }
    }
}
