import Foundation
import MediaProbe

/// What happens when a file has arrived whole: it replaces the asset's stored file, the asset counts one
/// more upload, and the sandbox judges the media as the platform would (at least 2 s, and media at all).
enum UploadCompletion {
    static func record(
        assetKey: String, writer: StoredFileWriter, md5: String, context: SandboxContext
    ) async throws
        -> SandboxAsset
    {
        let destination = context.storedFile(for: assetKey)
        try? FileManager.default.removeItem(at: destination)
        try FileManager.default.moveItem(at: writer.url, to: destination)
        let info = MediaProber().probe(destination)
        let minimum = context.configuration.minimumDuration
        let now = context.now
        let size = writer.size
        let updated = try await context.state.update(assetKey) { asset in
            asset.md5 = md5
            asset.size = size
            asset.uploads += 1
            asset.uploadedAt = now
            asset.storedPath = destination.path
            asset.duration = info.duration
            asset.failure = judge(kind: asset.kind, info: info, minimum: minimum)
        }
        guard let updated else { throw SandboxError(.notFound, "key: the asset was deleted during the upload") }
        return updated
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
