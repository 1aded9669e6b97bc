import Foundation

/// Where a new v2 upload sends its bytes: one presigned link (`direct`), a multipart upload, or nothing
/// (`fetch`: the platform downloads the file itself).
public enum V2UploadTarget: Sendable, Hashable {
    /// One presigned `PUT` of the whole file (`upload_link`).
    case direct(link: String)
    /// A multipart upload (`upload_id`, `upload_token`).
    case multipart(MultipartUpload)
    /// The platform fetches the file from its URL.
    case fetch
}

/// How a v2 upload is asked for: `upload.method` and what goes with it.
public enum V2UploadRequest: Sendable, Hashable {
    /// One presigned `PUT`.
    case direct
    /// Parts sent separately, then joined by `complete`.
    case multipart
    /// The platform downloads `url`.
    case fetch(url: String)

    /// The `upload` object of a create or reupload body.
    var body: APIValue {
        switch self {
        case .direct: return ["method": "direct"]
        case .multipart: return ["method": "multipart"]
        case .fetch(let url): return ["method": "fetch", "download_url": .string(url)]
        }
    }
}

/// What a create or reupload answered: the media and where its file goes.
public struct V2MediaUpload: Sendable, Hashable {
    /// The media.
    public var media: V2Media
    /// Where the file goes.
    public var target: V2UploadTarget
}

extension V2Client {
    /// The media collection of the credentials' site.
    static let mediaPath = "/v2/sites/{site_id}/media/"

    /// Creates a media with `metadata` (the v2 `metadata` object) and opens its upload.
    ///
    /// - Throws: ``APIError`` when refused, ``AnswerShapeError`` when the answer lacks the upload it asked for.
    public func createMedia(metadata: APIValue, upload: V2UploadRequest) async throws -> V2MediaUpload {
        let answer = try await call(.post, Self.mediaPath, body: ["metadata": metadata, "upload": upload.body])
        return try Self.mediaUpload(answer, asked: upload)
    }

    /// Opens a new upload for an existing media (`PUT …/media/{id}/reupload/`): its file is replaced once the
    /// new one arrives.
    ///
    /// - Throws: ``APIError`` (`404` when the media is gone), ``AnswerShapeError``.
    public func reupload(mediaID: String, upload: V2UploadRequest) async throws -> V2MediaUpload {
        let answer = try await call(
            .put, "\(Self.mediaPath)\(try Self.checkedID(mediaID))/reupload/", body: ["upload": upload.body])
        return try Self.mediaUpload(answer, asked: upload)
    }

    /// The media `id`.
    ///
    /// - Throws: ``APIError`` (`404` when it does not exist).
    public func media(id: String) async throws -> V2Media {
        let answer = try await call(.get, "\(Self.mediaPath)\(try Self.checkedID(id))/")
        return try V2Media(answer.value, call: answer.call)
    }

    /// Replaces the media's metadata fields given in `metadata` (`PATCH`).
    public func updateMedia(id: String, metadata: APIValue) async throws {
        _ = try await call(.patch, "\(Self.mediaPath)\(try Self.checkedID(id))/", body: ["metadata": metadata])
    }

    /// Deletes the media `id` with its files; a media already gone is not an error.
    public func deleteMedia(id: String) async throws {
        do {
            _ = try await call(.delete, "\(Self.mediaPath)\(try Self.checkedID(id))/")
        } catch let error as APIError where error.httpStatus == 404 {
            return
        }
    }

    /// Reads every page of the site's media matching `query` (a v2 `q`, or none), oldest first, and gives
    /// each page to `body`.
    ///
    /// - Returns: How many pages were read.
    @discardableResult
    public func forEachMediaPage(
        query: String? = nil, pageLength: Int = 1000, _ body: ([V2Media]) throws -> Void
    ) async throws -> Int {
        var page = 1
        while true {
            var parameters = [("page", "\(page)"), ("page_length", "\(pageLength)"), ("sort", "created:asc")]
            if let query { parameters.append(("q", query)) }
            let answer = try await call(.get, Self.mediaPath, query: parameters)
            guard let entries = answer.value["media"]?.arrayValue else {
                throw AnswerShapeError(call: answer.call, path: "media", expected: "a list of media", seen: "none")
            }
            try body(try entries.map { try V2Media($0, call: answer.call) })
            let total = answer.value["total"]?.integer
            if entries.count < pageLength || total.map({ Int64(page * pageLength) >= $0 }) == true { return page }
            page += 1
        }
    }

    /// An id that can stand in a path: letters, digits, `_` and `-`.
    static func checkedID(_ id: String) throws -> String {
        guard !id.isEmpty, id.utf8.count <= 64,
            id.utf8.allSatisfy({
                PercentEncoding.isUnreserved($0) && $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "~")
            })
        else { throw CallNameError(call: id) }
        return id
    }

    /// The media and upload of a create or reupload answer.
    static func mediaUpload(_ answer: APIAnswer, asked: V2UploadRequest) throws -> V2MediaUpload {
        let media = try V2Media(answer.value, call: answer.call)
        let target: V2UploadTarget
        switch asked {
        case .direct:
            guard let link = answer.value["upload_link"]?.text, !link.isEmpty else {
                throw AnswerShapeError(
                    call: answer.call, path: "upload_link", expected: "a direct upload link", seen: "nothing")
            }
            target = .direct(link: link)
        case .multipart:
            guard let id = answer.value["upload_id"]?.text, let token = answer.value["upload_token"]?.text,
                !id.isEmpty, !token.isEmpty
            else {
                throw AnswerShapeError(
                    call: answer.call, path: "upload_id, upload_token", expected: "a multipart upload",
                    seen: "nothing")
            }
            target = .multipart(MultipartUpload(id: id, token: APISecret(token)))
        case .fetch:
            target = .fetch
        }
        return V2MediaUpload(media: media, target: target)
    }
}
