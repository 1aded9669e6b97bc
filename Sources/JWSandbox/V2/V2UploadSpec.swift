import JWPlatform

/// The `upload` object of a v2 create or reupload, checked: the method (`direct` when absent), the
/// `mime_type` a direct `PUT` must carry, the `download_url` of a fetch.
struct V2UploadSpec: Sendable, Hashable {
    /// How the file arrives.
    enum Method: String, Sendable, Hashable {
        /// One presigned `PUT` (`upload_link`).
        case direct
        /// Parts through the upload API (`upload_id`, `upload_token`).
        case multipart
        /// The sandbox fetches `download_url` itself.
        case fetch
    }

    var method = Method.direct
    var mimeType: String?
    var downloadURL: String?

    /// The keys an `upload` object may hold (docs.jwplayer.com; `trim_in_point` and `trim_out_point` from
    /// the official Go client, accepted as text and ignored).
    static let fields: Set<String> = ["method", "mime_type", "download_url", "trim_in_point", "trim_out_point"]

    /// A direct upload without a type.
    init() {}

    /// The upload `value` (the `upload` member) asks for; `nil` asks for a direct one.
    ///
    /// - Throws: ``V2Error`` `400 invalid_body` naming the field that is unknown, of the wrong type, or
    ///   missing (`upload.download_url` for a fetch).
    init(_ value: APIValue?) throws(V2Error) {
        guard let value, value != .null else { return }
        guard let object = value.objectValue else { throw .invalidBody("upload", "must be an object") }
        for member in object {
            let field = "upload.\(member.key)"
            switch member.key {
            case "method":
                guard case .string(let text) = member.value, let chosen = Method(rawValue: text) else {
                    throw .invalidBody(field, "must be direct, multipart or fetch")
                }
                method = chosen
            case "mime_type":
                guard case .string(let text) = member.value, Self.isMediaType(text) else {
                    throw .invalidBody(field, "must be a media type such as video/mp4")
                }
                mimeType = text
            case "download_url":
                guard case .string(let text) = member.value, !text.isEmpty else {
                    throw .invalidBody(field, "must be an http(s) URL")
                }
                downloadURL = text
            case "trim_in_point", "trim_out_point":
                guard member.value == .null || member.value.text != nil else {
                    throw .invalidBody(field, "must be a time such as 00:00:05.000")
                }
            default:
                throw .invalidBody(field, "unknown field (known: \(Self.fields.sorted().joined(separator: ", ")))")
            }
        }
        switch method {
        case .fetch:
            guard let downloadURL else { throw .invalidBody("upload.download_url", "is required for method fetch") }
            do {
                try DownloadFetcher.validate(downloadURL)
            } catch let error as SandboxError {
                throw V2Error(error, field: "upload.download_url")
            } catch {
                throw .invalidBody("upload.download_url", "\(error)")
            }
        case .direct, .multipart:
            guard downloadURL == nil else {
                throw .invalidBody("upload.download_url", "only a fetch upload takes one (method is \(method))")
            }
        }
        if method == .fetch, mimeType != nil {
            throw .invalidBody("upload.mime_type", "a fetch upload takes none")
        }
    }

    /// `type/subtype`, without spaces or controls (a parameter such as `; codecs=…` allowed).
    static func isMediaType(_ text: String) -> Bool {
        let essence = text.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        let halves = essence.split(separator: "/", omittingEmptySubsequences: false)
        return text.count <= 255 && halves.count == 2 && halves.allSatisfy { !$0.isEmpty }
            && text.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value != 0x7f }
            && !essence.contains(" ")
    }
}
