import Foundation
import MediaProbe

/// What happens when a file has arrived whole: it is checked against what the create call declared, stored
/// under a name of its own, and committed to the asset in one step with the token spent; the asset counts
/// one more upload, and the sandbox judges the media as the platform would (at least 2 s, and media at all).
enum UploadCompletion {
    /// Records the file `writer` holds (its MD5 `md5`) for the grant `token`.
    ///
    /// - Throws: ``SandboxError`` `DigestInvalid` or `FileSizeInvalid` when the file is not what the create
    ///   call declared, `PermissionDenied` when the token was spent meanwhile, `NotFound` when the asset was
    ///   deleted during the upload. Nothing is left on disk when it throws.
    static func record(
        token: String, assetKey: String, writer: StoredFileWriter, md5: String, context: SandboxContext
    )
        async throws -> SandboxAsset
    {
        let size = writer.size
        do {
            guard let asset = await context.state.asset(assetKey) else {
                throw SandboxError(.notFound, "key: the asset was deleted during the upload")
            }
            if let declared = asset.declaredSize, declared != size {
                throw SandboxError(.fileSizeInvalid, "size: \(size) bytes arrived; \(declared) were declared")
            }
            if let declared = asset.declaredMD5, declared != md5 {
                throw SandboxError(.digestInvalid, "md5: the file's is \(md5); \(declared) was declared")
            }
            let destination = context.storedFile(for: assetKey)
            // rename(2) itself: FileManager's move added five `stat`s and two `open`s to every upload.
            guard rename(writer.url.path, destination.path) == 0 else {
                throw SandboxError(
                    .internalError, "sandbox: cannot store \(destination.path): \(String(cString: strerror(errno)))")
            }
            let info = MediaProber().probe(destination)
            let minimum = context.configuration.minimumDuration
            do {
                let committed = try await context.state.commitUpload(
                    token: token, assetKey: assetKey, storedPath: destination.path, md5: md5, size: size,
                    at: context.now
                ) { asset in (info.duration, judge(kind: asset.kind, info: info, minimum: minimum)) }
                if let replaced = committed.replacedPath { try? FileManager.default.removeItem(atPath: replaced) }
                return committed.asset
            } catch {
                try? FileManager.default.removeItem(at: destination)
                throw error
            }
        } catch {
            writer.discard()
            throw error
        }
    }

    /// Why the platform would fail this file, or `nil`.
    static func judge(kind: String, info: MediaInfo, minimum: Double) -> String? {
        switch kind {
        case "video":
            guard info.kind == .video || info.kind == .audio else {
                return "not a media file (\(info.reason ?? info.kind.rawValue))"
            }
            guard let duration = info.duration else { return "media duration unknown" }
            return duration < minimum
                ? "media is \(String(format: "%.2f", duration)) s long; the minimum is \(minimum) s" : nil
        case "thumbnail", "image":
            return info.kind == .image ? nil : "not an image (\(info.kind.rawValue))"
        case "track":
            return info.kind == .textTrack ? nil : "not a WebVTT or SRT file (\(info.kind.rawValue))"
        default:
            return nil
        }
    }
}
