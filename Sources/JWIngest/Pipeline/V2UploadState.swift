import Foundation
import JWPlatform

/// Where a v2 run stands with an item's file: the upload the platform opened for it and, for a multipart
/// upload, each part already stored and verified, so that a run killed half-way sends only the parts
/// still missing.
///
/// It holds the upload's link or token, which are secrets: it lives in the journal (as v1's upload links
/// do) and is never printed.
public struct V2UploadState: Sendable, Hashable, Codable {
    /// One presigned `PUT` of the whole file, or a multipart upload.
    public enum Method: String, Sendable, Hashable, Codable {
        /// One presigned `PUT`.
        case direct
        /// Parts, then `complete`.
        case multipart
    }

    /// How the file goes.
    public var method: Method
    /// A direct upload's presigned link.
    public var link: String?
    /// A multipart upload's `upload_id`.
    public var uploadID: String?
    /// A multipart upload's `upload_token`.
    public var token: String?
    /// The part size the upload was planned with (the parts already stored fix it).
    public var partSize: Int64?
    /// The MD5 of each part the platform stores and whose `ETag` matched, by part number.
    public var partMD5s: [Int: String]?

    /// A direct upload to `link`.
    public static func direct(_ link: String) -> V2UploadState { V2UploadState(method: .direct, link: link) }

    /// A multipart upload in parts of `partSize` bytes.
    public static func multipart(_ upload: MultipartUpload, partSize: Int64) -> V2UploadState {
        var state = V2UploadState(method: .multipart)
        state.uploadID = upload.id
        state.token = upload.token.withRevealedText { $0 }
        state.partSize = partSize
        state.partMD5s = [:]
        return state
    }

    /// The multipart upload, when this is one.
    public var multipartUpload: MultipartUpload? {
        guard method == .multipart, let uploadID, let token else { return nil }
        return MultipartUpload(id: uploadID, token: APISecret(token))
    }

    /// The text shown in messages: no link and no token.
    public var summary: String {
        switch method {
        case .direct: return "a direct upload"
        case .multipart: return "multipart upload \(uploadID ?? "?") (\(partMD5s?.count ?? 0) parts stored)"
        }
    }

    private init(method: Method, link: String? = nil) {
        self.method = method
        self.link = link
    }
}
