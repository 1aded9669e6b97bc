import Foundation
import JWPlatform

/// `thumbnail`: sends the item's thumbnail image to its video through `/videos/thumbnails/update`,
/// checking the digest the server reports. Asking again replaces the same thumbnail; it never adds one.
public struct ThumbnailStage: Stage {
    /// The stage's name in pipelines, events and reports.
    public let name = "thumbnail"

    /// Creates the stage.
    public init() {}

    /// `create` comes first.
    public var requirements: [String] { ["create"] }

    /// Does the stage's work for one item; see the type's discussion.
    @discardableResult
    public func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome {
        if let v2 = context.v2 {
            try await V2Companions.thumbnail(&state, context, v2)
            return .done
        }
        guard context.item.kind == .video, let thumbnail = context.item.thumbnail, !state.thumbnailDone else {
            return .done
        }
        guard let videoKey = state.mediaKey else {
            throw context.failure("no video to attach to; put create first", code: .pipeline)
        }
        let client = context.client
        let size = try UploadStage.size(of: thumbnail, context)
        _ = try await FileTransfer.send(
            thumbnail, size: size, what: "thumbnail", verify: true, context: context, link: nil,
            renewLink: {
                let answer = try await context.retrying("ask for a thumbnail link") { _ in
                    try await client.updateThumbnail(videoKey: videoKey)
                }
                guard let link = answer.link else {
                    throw context.failure(
                        "the thumbnail answer has no upload link", expected: "a link block", seen: "nothing",
                        code: .unexpectedAnswer)
                }
                return link
            })
        state.thumbnailDone = true
        return .done
    }
}
