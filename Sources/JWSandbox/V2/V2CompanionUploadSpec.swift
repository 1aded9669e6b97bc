import JWPlatform

/// The `upload` object of a v2 thumbnail or text track create, checked: `method` `direct` (the default),
/// an optional `mime_type` the `PUT` must then carry, and, for a text track, the `file_format` (`vtt` or
/// `srt`). Other members (`thumbnail_type`, …) are ignored.
struct V2CompanionUploadSpec: Sendable, Hashable {
    var mimeType: String?
    var fileFormat: String?

    /// The upload `value` (the `upload` member) asks for.
    ///
    /// - Parameter formats: The `file_format` values allowed, which make it required; `nil` when the
    ///   create takes none (a thumbnail).
    /// - Throws: ``V2Error`` `400 invalid_body` naming `upload`, `upload.method`, `upload.mime_type` or
    ///   `upload.file_format`.
    init(_ value: APIValue?, formats: [String]?) throws(V2Error) {
        let upload: APIObject
        switch value {
        case nil, .null?: upload = APIObject()
        case .object(let object)?: upload = object
        default: throw .invalidBody("upload", "must be an object")
        }
        if let method = upload["method"], method != .null, method != "direct" {
            throw .invalidBody("upload.method", "must be direct (one presigned PUT of the file)")
        }
        if let type = upload["mime_type"], type != .null {
            guard case .string(let text) = type, V2UploadSpec.isMediaType(text) else {
                throw .invalidBody("upload.mime_type", "must be a media type such as text/vtt or image/jpeg")
            }
            mimeType = text
        }
        guard let formats else { return }
        let allowed = formats.joined(separator: " or ")
        guard let format = upload["file_format"], format != .null else {
            throw .invalidBody("upload.file_format", "is required (\(allowed))")
        }
        guard case .string(let text) = format, formats.contains(text) else {
            throw .invalidBody("upload.file_format", "must be \(allowed)")
        }
        fileFormat = text
    }
}
