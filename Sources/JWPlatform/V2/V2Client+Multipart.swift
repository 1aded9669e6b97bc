import Foundation

/// One part of a multipart upload, as the parts listing gives it.
public struct UploadPart: Sendable, Hashable {
    /// The part's number, from 1.
    public var number: Int
    /// Its presigned `PUT` link (a secret: it is redacted in messages).
    public var link: String
    /// The MD5 of what the platform stores for it, when it stores something.
    public var etag: String?

    /// Creates a part.
    public init(number: Int, link: String, etag: String?) {
        self.number = number
        self.link = link
        self.etag = etag
    }
}

/// A multipart upload: its id and the token that the upload calls take as their Bearer.
public struct MultipartUpload: Sendable, Hashable {
    /// `upload_id`.
    public var id: String
    /// `upload_token`: the Bearer of the parts listing and `complete` (never printed).
    public var token: APISecret

    /// Creates an upload.
    public init(id: String, token: APISecret) {
        self.id = id
        self.token = token
    }
}

extension V2Client {
    /// The first `count` parts of `upload`, in order, read page by page (1,000 a page).
    ///
    /// - Throws: ``APIError`` for an error answer (a finished or unknown upload), ``AnswerShapeError`` for
    ///   a listing without the parts asked for.
    public func listParts(of upload: MultipartUpload, count: Int) async throws -> [UploadPart] {
        var parts: [UploadPart] = []
        var page = 1
        let pageLength = 1000
        while parts.count < count {
            let answer = try await call(
                .get, "/v2/uploads/\(upload.id)/parts", query: [("page", "\(page)"), ("page_length", "\(pageLength)")],
                bearer: upload.token)
            let listed = answer.value["parts"]?.arrayValue ?? []
            for entry in listed {
                guard let number = entry["id"]?.text.flatMap({ Int($0) }), let link = entry["upload_link"]?.text else {
                    throw AnswerShapeError(
                        call: answer.call, path: "parts[].id, upload_link", expected: "a part number and link",
                        seen: "a part without them")
                }
                let etag = entry["etag"]?.text.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
                parts.append(
                    UploadPart(number: number, link: link, etag: etag?.isEmpty == true ? nil : etag?.lowercased()))
            }
            guard listed.count == pageLength else { break }
            page += 1
        }
        let wanted = parts.filter { $0.number <= count }.sorted { $0.number < $1.number }
        guard wanted.count == count, wanted.enumerated().allSatisfy({ $0.offset + 1 == $0.element.number }) else {
            throw AnswerShapeError(
                call: "GET /v2/uploads/{id}/parts", path: "parts", expected: "parts 1 to \(count)",
                seen: "\(wanted.count) of them")
        }
        return wanted
    }

    /// Finishes `upload`: the platform joins its parts into the media's file.
    ///
    /// - Throws: ``APIError`` when the platform refuses (a part missing or too small, the upload finished).
    public func complete(_ upload: MultipartUpload) async throws {
        _ = try await call(.put, "/v2/uploads/\(upload.id)/complete", bearer: upload.token)
    }
}
