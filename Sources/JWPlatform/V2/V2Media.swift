import Foundation

/// A media as the v2 API shows it: its id, status and metadata (`GET /v2/sites/{site_id}/media/{id}/`, and
/// each entry of the list).
public struct V2Media: Sendable, Hashable {
    /// The media id (the same id as v1's video key).
    public var id: String
    /// `created`, `processing`, `ready`, `failed`, …; `nil` when the answer has none.
    public var status: String?
    /// Why the platform could not process the media, for a `failed` one.
    public var errorMessage: String?
    /// `metadata.external_id` (or the top-level `external_id`).
    public var externalID: String?
    /// `metadata.title`.
    public var title: String?
    /// `metadata.description`.
    public var description: String?
    /// `metadata.author`.
    public var author: String?
    /// `metadata.permalink`.
    public var permalink: String?
    /// `metadata.tags`.
    public var tags: [String]
    /// `metadata.custom_params`.
    public var customParams: [String: String]
    /// `metadata.publish_start_date`.
    public var publishStart: Date?
    /// The duration in seconds, once known.
    public var duration: Double?

    /// Reads a media object.
    ///
    /// - Throws: ``AnswerShapeError`` when it has no `id`.
    public init(_ value: APIValue, call: String) throws {
        guard let id = value["id"]?.text, !id.isEmpty else {
            throw AnswerShapeError(call: call, path: "id", expected: "a media id", seen: "nothing")
        }
        self.id = id
        status = value["status"]?.text
        errorMessage = value["error_message"]?.text
        let metadata = value["metadata"]
        externalID = metadata?["external_id"]?.text ?? value["external_id"]?.text
        title = metadata?["title"]?.text
        description = metadata?["description"]?.text
        author = metadata?["author"]?.text
        permalink = metadata?["permalink"]?.text
        tags = (metadata?["tags"]?.arrayValue ?? []).compactMap(\.text)
        var custom: [String: String] = [:]
        for member in metadata?["custom_params"]?.objectValue?.members ?? [] {
            if let text = member.value.text { custom[member.key] = text }
        }
        customParams = custom
        publishStart = metadata?["publish_start_date"]?.text.flatMap(V2Dates.parse)
        duration = value["duration"]?.text.flatMap(Double.init)
    }

    /// The media as v1's ``VideoDetails``, for what compares both generations' videos with a manifest item
    /// (v2 shows no file size or MD5: those stay `nil`).
    public var videoDetails: VideoDetails {
        VideoDetails(
            key: id, status: status.map(VideoDetails.Status.init(rawValue:)), title: title, description: description,
            author: author, tags: tags, link: permalink, date: publishStart, duration: duration,
            custom: customParams, error: errorMessage)
    }
}

extension VideoDetails {
    /// A video from its parts (file size and MD5 unknown).
    init(
        key: String, status: Status?, title: String?, description: String?, author: String?, tags: [String],
        link: String?, date: Date?, duration: Double?, custom: [String: String], error: String?
    ) {
        self.key = key
        self.status = status
        self.title = title
        self.description = description
        self.author = author
        self.tags = tags
        self.link = link
        self.date = date
        self.md5 = nil
        self.size = nil
        self.duration = duration
        self.custom = custom
        self.error = error
    }
}

/// The dates of v2 bodies: ISO 8601 in UTC (`2020-02-20T08:58:26+00:00`), read with or without fractions.
enum V2Dates {
    /// `date` as v2 bodies write it.
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// The date of an ISO 8601 text, or `nil`.
    static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
