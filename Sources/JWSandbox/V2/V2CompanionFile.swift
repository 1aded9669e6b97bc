import Foundation
import Hummingbird

/// The file of a v2 thumbnail or text track: its presigned direct link (`/s3/v2/direct/{token}`, signed as
/// a media's), and what happens when the `PUT` of that link has stored the bytes: they become the asset's
/// file (MD5, size, one more upload), the link is spent, and the asset is `ready`, or `failed` when
/// ``V2CompanionCheck`` finds the file is not what it should be.
enum V2CompanionFile {
    /// The grant segment of a thumbnail's direct link.
    static let thumbnailSegment = "v2-thumbnail"
    /// The grant segment of a text track's direct link.
    static let textTrackSegment = "v2-text-track"

    /// Whether a grant's segment is a thumbnail's or a text track's.
    static func isCompanion(segment: String) -> Bool { segment == thumbnailSegment || segment == textTrackSegment }

    /// A new single-use direct link for the asset `assetKey` (a thumbnail or text track).
    ///
    /// - Parameter mimeType: The `Content-Type` the `PUT` must carry, or `nil` for none.
    static func link(assetKey: String, segment: String, mimeType: String?, _ endpoint: V2Endpoint) async -> String {
        let context = endpoint.context
        let grant = await context.state.grant(assetKey: assetKey, segment: segment, at: context.now)
        return endpoint.signer.link(
            scheme: context.scheme, path: V2Endpoint.directPath(token: grant.token), address: context.address,
            mimeType: mimeType, at: context.now)
    }

    /// Gives the stored body (`writer`, whose MD5 is `md5`) to the asset of the grant `token`; the S3-style
    /// error to answer when that fails (the link was spent meanwhile, the asset deleted), `nil` when it is
    /// recorded. Nothing is left on disk when it fails.
    static func record(
        token: String, assetKey: String, writer: StoredFileWriter, md5: String, context: SandboxContext
    ) async -> Response? {
        let size = writer.size
        guard let asset = await context.state.asset(assetKey) else {
            writer.discard()
            return S3Endpoint.error(404, "NoSuchKey", "The thumbnail or text track was deleted during the upload.")
        }
        let head = readHead(writer.url)
        let failure =
            asset.kind == "thumbnail"
            ? V2CompanionCheck.imageFailure(head, size: size)
            : V2CompanionCheck.trackFailure(head, size: size, format: asset.fileFormat ?? "vtt")
        let destination = context.storedFile(for: assetKey)
        do {
            try FileManager.default.moveItem(at: writer.url, to: destination)
        } catch {
            writer.discard()
            return S3Endpoint.error(500, "InternalError", "cannot store the body")
        }
        do {
            let committed = try await context.state.commitUpload(
                token: token, assetKey: assetKey, storedPath: destination.path, md5: md5, size: size, at: context.now
            ) { _ in (nil, failure) }
            if let replaced = committed.replacedPath { try? FileManager.default.removeItem(atPath: replaced) }
            return nil
        } catch {
            try? FileManager.default.removeItem(at: destination)
            if let failure = error as? SandboxError, failure.code == .notFound {
                return S3Endpoint.error(
                    404, "NoSuchKey", "The thumbnail or text track was deleted during the upload.")
            }
            return S3Endpoint.error(403, "AccessDenied", "This upload link was used already.")
        }
    }

    /// The first ``V2CompanionCheck/headLength`` bytes of the file at `url` (fewer when it is shorter).
    static func readHead(_ url: URL) -> [UInt8] {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return [] }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: V2CompanionCheck.headLength)).map { Array($0) } ?? []
    }
}
