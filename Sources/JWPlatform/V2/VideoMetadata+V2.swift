import Foundation

extension VideoMetadata {
    /// The v2 `metadata` object of these fields: `title`, `description`, `author`, `tags` (a list),
    /// `permalink` (the link), `publish_start_date` (ISO 8601, UTC), `custom_params` (the custom fields) and,
    /// when given, `external_id`. Fields not set are left out, so that an update leaves them as they are.
    public func v2Metadata(externalID: String? = nil) -> APIValue {
        var object = APIObject()
        if let title { object["title"] = .string(title) }
        if let description { object["description"] = .string(description) }
        if let author { object["author"] = .string(author) }
        let cleanTags = tags.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !cleanTags.isEmpty { object["tags"] = .array(cleanTags.map(APIValue.string)) }
        if let link { object["permalink"] = .string(link) }
        if let date { object["publish_start_date"] = .string(V2Dates.format(date)) }
        if !custom.isEmpty {
            var params = APIObject()
            for field in custom { params[field.name] = .string(field.value) }
            object["custom_params"] = .object(params)
        }
        if let externalID { object["external_id"] = .string(externalID) }
        return .object(object)
    }
}
