import Foundation

/// The metadata of a video as `/videos/create` and `/videos/update` take it.
public struct VideoMetadata: Sendable, Hashable {
    /// The title.
    public var title: String?
    /// The description.
    public var description: String?
    /// The author.
    public var author: String?
    /// Tags, sent comma-separated.
    public var tags: [String]
    /// The publication date, sent as Unix time.
    public var date: Date?
    /// A link to the original page.
    public var link: String?
    /// Custom fields, sent as `custom.<name>`, in order.
    public var custom: [APIParameters.Parameter]

    /// Creates metadata; everything is optional.
    public init(
        title: String? = nil, description: String? = nil, author: String? = nil, tags: [String] = [],
        date: Date? = nil, link: String? = nil, custom: [APIParameters.Parameter] = []
    ) {
        self.title = title
        self.description = description
        self.author = author
        self.tags = tags
        self.date = date
        self.link = link
        self.custom = custom
    }

    /// The parameters this metadata sends.
    public var parameters: APIParameters {
        var parameters = APIParameters()
        if let title { parameters.append("title", title) }
        if let description { parameters.append("description", description) }
        if let author { parameters.append("author", author) }
        if !tags.isEmpty { parameters.append("tags", tags.joined(separator: ",")) }
        if let date { parameters.append("date", Int64(date.timeIntervalSince1970.rounded(.down))) }
        if let link { parameters.append("link", link) }
        for field in custom { parameters.append("custom.\(field.name)", field.value) }
        return parameters
    }
}

/// How a file is sent: the regular multipart form POST, or a presigned S3 PUT (API.md §3–§4).
public struct UploadMethod: Sendable, Hashable, CustomStringConvertible {
    /// The value of `upload_method`, or `nil` for the regular method (the parameter is left out).
    public var parameterValue: String?
    /// The name used in manifests and on the command line.
    public var name: String

    /// The text shown in messages and logs.
    public var description: String { name }

    /// `multipart/form-data` POST to the upload server; files up to 25 GB.
    public static let form = UploadMethod(parameterValue: nil, name: "form")
    /// A presigned PUT; files up to 5 GiB.
    public static let s3 = UploadMethod(parameterValue: "s3", name: "s3")
}

/// A caption or chapter track's metadata for `/videos/tracks/create`.
public struct TrackMetadata: Sendable, Hashable {
    /// `captions` or `chapters`.
    public var kind: String
    /// The label shown in the player.
    public var label: String?
    /// The language code, e.g. `en`.
    public var language: String?

    /// Creates track metadata.
    public init(kind: String, label: String? = nil, language: String? = nil) {
        self.kind = kind
        self.label = label
        self.language = language
    }
}
