import Foundation
import JWPlatform

/// `thumbnail`: sends the item's thumbnail image to its video through `/videos/thumbnails/update`,
/// checking the digest the server reports. Asking again replaces the same thumbnail; it never adds one.
public struct ThumbnailStage: Stage {
    public let name = "thumbnail"

    /// Creates the stage.
    public init() {}

    public func run(_ state: inout ItemState, _ context: StageContext) async throws {
        guard context.item.kind == .video, let thumbnail = context.item.thumbnail, !state.thumbnailDone else { return }
        guard let videoKey = state.mediaKey else { throw context.failure("no video to attach to; put create first") }
        let client = context.client
        let size = try UploadStage.size(of: thumbnail, context)
        let newLink: @Sendable () async throws -> UploadLink = {
            let answer = try await context.retrying("ask for a thumbnail link") { _ in
                try await client.updateThumbnail(videoKey: videoKey)
            }
            guard let link = answer.link else {
                throw context.failure(
                    "the thumbnail answer has no upload link", expected: "a link block", seen: "nothing")
            }
            return link
        }
        try await CompanionUpload.send(thumbnail, size: size, what: "thumbnail", context: context, newLink: newLink)
        state.thumbnailDone = true
    }
}

/// Sending a thumbnail or a track (always by the form method) and checking what the server received,
/// with a new link and a fresh send on a mismatch, up to the manifest's `retries`.
enum CompanionUpload {
    static func send(
        _ file: URL, size: Int64, what: String, context: StageContext,
        newLink: @Sendable () async throws -> UploadLink
    ) async throws {
        var link = try await newLink()
        var mismatches = 0
        while true {
            let result = try await FileSending.send(
                file, size: size, method: .form, redirect: nil, context: context, link: link, renewLink: newLink)
            if result.matches { return }
            mismatches += 1
            guard mismatches <= context.options.retries else {
                throw context.failure(
                    "the server received another \(what) than was sent", expected: "\(result.sent)",
                    seen: "\(result.received)")
            }
            context.emit(
                .retry(
                    item: context.item.id, stage: context.step.name, attempt: mismatches + 1, delay: 0,
                    reason: "\(what) digest mismatch: sent \(result.sent), server reports \(result.received)"))
            do {
                link = try await newLink()
            } catch {
                throw context.failure(
                    "the server received another \(what) than was sent, and it cannot be sent again: \(error)",
                    expected: "\(result.sent)", seen: "\(result.received)")
            }
        }
    }
}
