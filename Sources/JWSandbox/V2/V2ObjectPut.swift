import Foundation
import Hummingbird
import JWPlatform
import NIOCore

/// The presigned `PUT`s of v2 uploads, answered like S3: `/s3/v2/direct/{token}` (a direct upload's
/// `upload_link`, of a media or of a thumbnail or text track: ``V2CompanionFile``) and
/// `/s3/v2/parts/{upload_id}/{n}` (a part's).
///
/// A bare `PUT`: `Content-MD5`, `x-amz-*` headers, and a `Content-Type` the link did not sign are
/// `403 SignatureDoesNotMatch`; `Content-Length` is required, at most 5 GiB. The body is stored while
/// hashed, and the answer is `200` with `ETag: "<md5>"`. A direct link is single use; a part may be sent
/// again, replacing the stored one, until the upload is completed. Errors are S3 XML.
enum V2ObjectPut {
    /// What a `PUT` path addresses.
    enum Target: Sendable, Hashable {
        case direct(token: String)
        case part(uploadID: String, number: Int)

        /// The target of `path`, or `nil`.
        init?(path: String) {
            let segments = path.split(separator: "/").map(String.init)
            guard segments.count >= 4, segments[0] == "s3", segments[1] == "v2" else { return nil }
            switch (segments[2], segments.count) {
            case ("direct", 4): self = .direct(token: segments[3])
            case ("parts", 5):
                guard let number = Int(segments[4]), (1...V2PartRules.partCount).contains(number) else { return nil }
                self = .part(uploadID: segments[3], number: number)
            default: return nil
            }
        }
    }

    static func handle(
        _ request: Request, faults: FaultDecision, channel: any Channel, endpoint: V2Endpoint
    ) async -> Response {
        let context = endpoint.context
        let path = request.uri.path
        guard let target = Target(path: path) else {
            return S3Endpoint.error(404, "NoSuchKey", "The specified key does not exist.")
        }
        guard let query = try? QueryParameters.parse(request.uri.query ?? "") else {
            return S3Endpoint.error(400, "InvalidArgument", "The query is not percent-encoded UTF-8.")
        }
        // A presigned URL is signed for the bare PUT: headers it does not sign break it.
        let signsType = V2LinkSigner.signedHeaders(query).contains("content-type")
        let unsigned = request.headers.map { $0.name.canonicalName.lowercased() }.filter {
            $0 == "content-md5" || $0.hasPrefix("x-amz-") || ($0 == "content-type" && !signsType)
        }
        guard unsigned.isEmpty else {
            return S3Endpoint.error(
                403, "SignatureDoesNotMatch",
                "The request signature does not cover \(unsigned.joined(separator: ", ")); send only Content-Length"
                    + (signsType ? " and the Content-Type of the upload's mime_type." : "."))
        }
        switch endpoint.signer.check(
            path: path, query: query, contentType: request.headers[.contentType], now: context.now)
        {
        case .mismatch:
            return S3Endpoint.error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match.")
        case .expired:
            return S3Endpoint.error(403, "AccessDenied", "Request has expired")
        case .valid:
            break
        }
        let assetKey: String
        var isCompanion = false
        switch target {
        case .direct(let token):
            guard let grant = await context.state.grant(for: token),
                grant.segment == V2Endpoint.directSegment || V2CompanionFile.isCompanion(segment: grant.segment)
            else {
                return S3Endpoint.error(403, "AccessDenied", "This upload link is no longer valid.")
            }
            guard !grant.used else {
                return S3Endpoint.error(403, "AccessDenied", "This upload link was used already.")
            }
            // A thumbnail's or text track's link fills that asset, not its media.
            assetKey = grant.assetKey
            isCompanion = V2CompanionFile.isCompanion(segment: grant.segment)
        case .part(let uploadID, _):
            guard let upload = await endpoint.uploads.upload(uploadID), upload.phase == .open,
                await context.state.grant(for: upload.grantToken) != nil
            else {
                return S3Endpoint.error(
                    404, "NoSuchUpload",
                    "The specified upload does not exist: it may have been completed, or its media deleted.")
            }
            assetKey = upload.mediaID
        }
        let body = await PresignedBody.receive(
            request, maximumSize: V2PartRules.maximumPartSize,
            storeAt: context.storage.appendingPathComponent(fileName(target)), faults: faults, channel: channel)
        let (writer, md5): (StoredFileWriter, String)
        switch body {
        case .refused(let answer): return answer
        case .stored(let stored, let digest): (writer, md5) = (stored, digest)
        }
        switch target {
        case .direct(let token) where isCompanion:
            if let refusal = await V2CompanionFile.record(
                token: token, assetKey: assetKey, writer: writer, md5: md5, context: context)
            {
                return refusal
            }
        case .direct(let token):
            if let refusal = await PresignedBody.record(
                token: token, assetKey: assetKey, writer: writer, md5: md5, context: context)
            {
                return refusal
            }
        case .part(let uploadID, let number):
            let part = V2UploadRegistry.Part(path: writer.url.path, md5: md5, size: writer.size)
            let stored = await endpoint.uploads.store(part, number: number, in: uploadID)
            guard stored.accepted else {
                writer.discard()
                return S3Endpoint.error(
                    404, "NoSuchUpload", "The specified upload does not exist: it was completed during this PUT.")
            }
            if let replaced = stored.replaced { try? FileManager.default.removeItem(atPath: replaced) }
            _ = try? await context.state.update(assetKey) { $0.partPuts += 1 }
        }
        let shown = faults.wrongMD5 ? FaultDecision.wrongMD5(for: md5) : md5
        return Response(status: .ok, headers: [.eTag: "\"\(shown)\""])
    }

    /// Where the body is written: a new name for each `PUT`, so a part sent twice at once never mixes.
    static func fileName(_ target: Target) -> String {
        switch target {
        case .direct: ".s3v2-\(UUID().uuidString)"
        case .part(let uploadID, let number): ".v2part-\(uploadID)-\(number)-\(UUID().uuidString.prefix(8))"
        }
    }
}
