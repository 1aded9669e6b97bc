import Foundation
import JWPlatform

/// The upload API of multipart uploads: `GET /v2/uploads/{upload_id}/parts` and
/// `PUT /v2/uploads/{upload_id}/complete`, both with `Authorization: Bearer <upload_token>`.
enum V2UploadCalls {
    /// `GET /v2/uploads/{upload_id}/parts?page=&page_length=`: parts 1 to 10,000 in order, a page at a time
    /// (`page_length` 10 by default, at most 1000), each with its presigned `upload_link` and, once stored,
    /// its `etag` (the part's MD5, unquoted).
    ///
    /// - Throws: ``V2Error`` `409 conflict` once the upload is completed (or being completed).
    static func listParts(_ id: String, _ query: APIParameters, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply
    {
        try V2Endpoint.allowQuery(["page", "page_length"], in: query)
        let page = try V2Endpoint.integer("page", query, default: 1, range: 1...Int.max)
        let length = try V2Endpoint.integer(
            "page_length", query, default: V2PartRules.defaultPageLength, range: 1...V2PartRules.maximumPageLength)
        let upload = try await openUpload(id, endpoint)
        let context = endpoint.context
        let now = context.now
        var parts: [APIValue] = []
        let (first, overflow) = (page - 1).multipliedReportingOverflow(by: length)
        if !overflow, first < V2PartRules.partCount {
            for number in (first + 1)...min(first + length, V2PartRules.partCount) {
                var part = APIObject()
                part["id"] = .int(Int64(number))
                part["upload_link"] = .string(
                    endpoint.signer.link(
                        scheme: context.scheme, path: V2Endpoint.partPath(uploadID: id, number: number),
                        address: context.address,
                        mimeType: nil, at: now))
                if let stored = upload.parts[number] { part["etag"] = .string(stored.md5) }
                parts.append(.object(part))
            }
        }
        return .json(
            200,
            [
                "parts": .array(parts), "page": .int(Int64(page)), "page_length": .int(Int64(length)),
                "total": .int(Int64(V2PartRules.partCount)),
            ])
    }

    /// `PUT /v2/uploads/{upload_id}/complete` (an empty body or `{}`): checks the parts, concatenates them
    /// into the media's file while hashing, removes them, and answers `202 {}`; the media is `processing`,
    /// then `ready` or `failed`.
    ///
    /// - Throws: ``V2Error`` `400 parts_missing`, `part_too_small` or `file_too_large` (the upload stays
    ///   open), `409 conflict` when completed already, `404` when the media was deleted.
    static func complete(_ id: String, _ body: APIObject?, _ endpoint: V2Endpoint) async throws(V2Error) -> V2Reply {
        try V2RequestBody.allow([], in: body)
        _ = try await openUpload(id, endpoint, completing: true)
        let parts = try await endpoint.uploads.beginCompletion(id)
        guard let upload = await endpoint.uploads.upload(id) else { throw .notFound("upload \(id) does not exist") }
        let context = endpoint.context
        do {
            let writer = try StoredFileWriter(
                url: context.storage.appendingPathComponent(".v2-assemble-\(UUID().uuidString)"))
            do {
                try await V2PartAssembler.append(parts.sorted { $0.key < $1.key }.map(\.value), to: writer)
            } catch {
                writer.discard()
                throw error
            }
            let md5 = await writer.finish()
            _ = try await UploadCompletion.record(
                token: upload.grantToken, assetKey: upload.mediaID, writer: writer, md5: md5, context: context)
        } catch {
            _ = await endpoint.uploads.endCompletion(id, made: false)
            if let failure = error as? SandboxError, failure.code == .notFound {
                throw .notFound("media \(upload.mediaID) was deleted during the complete")
            }
            throw .internalError("the parts could not be assembled: \(error)")
        }
        for part in await endpoint.uploads.endCompletion(id, made: true) {
            try? FileManager.default.removeItem(atPath: part.path)
        }
        return .json(202, .object(APIObject()))
    }

    /// The upload `id` while it takes parts.
    ///
    /// - Throws: ``V2Error`` `404` when unknown or its media was deleted, `409 conflict` when completed or
    ///   being completed (with `completing`, the complete's own checks say so).
    private static func openUpload(
        _ id: String, _ endpoint: V2Endpoint, completing: Bool = false
    ) async throws(V2Error) -> V2UploadRegistry.Upload {
        guard let upload = await endpoint.uploads.upload(id),
            await endpoint.context.state.grant(for: upload.grantToken) != nil
        else { throw .notFound("upload \(id) does not exist") }
        guard completing || upload.phase == .open else {
            throw .conflict(
                "upload \(id) was completed\(upload.phase == .completing ? " (in progress)" : ""); "
                    + "its parts can no longer be listed or sent")
        }
        return upload
    }
}
