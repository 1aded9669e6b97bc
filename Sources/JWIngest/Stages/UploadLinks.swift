import Foundation
import JWPlatform

/// Fresh upload links for an asset whose link is used, expired or lost (API.md §3: a token is good for
/// one upload and 7 days). A `ready` video, or one `updating` (a new file was asked for and its link lost),
/// gets one through `/videos/update` with `update_file=True`: it is published, and keeps its key and its
/// embeds. A video still `processing` is waited for (then the item fails, to be run again later). Only a
/// video that never received a file (`created`) or whose file the platform refused (`failed`) is deleted,
/// and ``AssetGone`` tells the stage to have the runner go back to `create` (the platform gives no new
/// link for it, and nothing of it was ever playable); the new video gets the item's thumbnail and tracks
/// again. Images and skins use their update call.
enum UploadLinks {
    /// How long a link is used before a fresh one is asked for (a margin below the platform's 7 days).
    static let lifetime: TimeInterval = 6.5 * 24 * 3600

    /// The state's link, or a fresh one when it has none or it is too old.
    static func usable(_ state: inout ItemState, _ context: StageContext) async throws -> UploadLink {
        if let link = state.uploadLink, let issued = state.linkIssuedAt, Date().timeIntervalSince(issued) < lifetime {
            return link
        }
        return try await fresh(&state, context)
    }

    /// A new link for the state's asset; updates the state (a replaced video has a new key), writing it
    /// to the journal at each step that changes what exists on the platform.
    static func fresh(_ state: inout ItemState, _ context: StageContext) async throws -> UploadLink {
        let client = context.client
        let method = context.options.uploadMethod
        guard let key = state.mediaKey else {
            // The asset was deleted by a run that stopped before making the new one: `create` makes it.
            throw AssetGone(reason: "the item has no asset to send its file to (an earlier one was replaced)")
        }
        let link: UploadLink?
        switch context.item.kind {
        case .video:
            let status = try await settledStatus(key, context)
            switch status {
            case .ready?, .updating?:
                do {
                    link = try await context.retrying("ask for a new upload link") { _ in
                        try await client.updateVideo(key: key, updateFile: true, method: method).link
                    }
                } catch let error as APIError where error.code == .preconditionFailed {
                    throw context.failure(
                        "video \(key) is \(status?.rawValue ?? "?") and the platform gives it no new upload link "
                            + "(\(error.message)); it is published, so it is not replaced: run again once it is ready",
                        expected: "a new upload link", seen: error.code.rawValue, retryable: true, code: .notReady)
                }
                // The new file will be processed anew: an earlier `ready` says nothing of it.
                state.remoteStatus = nil
            case .created?, .failed?, nil:
                // No new link can be had for it (API.md §3): it never got a file, its file was refused, or
                // it is gone. It is replaced, so the item has one video, which gets its companions anew.
                if status != nil {
                    try await context.retrying("delete video \(key), which cannot take a file") { _ in
                        do {
                            try await client.deleteVideo(key: key)
                        } catch let error as APIError where error.code == .notFound {
                            return
                        }
                    }
                }
                state.forgetAsset()
                try await context.checkpoint(state)
                throw AssetGone(
                    reason: "video \(key) could not take a new file (\(status?.rawValue ?? "gone")), so it was "
                        + "deleted to be created anew")
            default:
                throw context.failure(
                    "video \(key) is still \(status?.rawValue ?? "in an unknown state"); run again later to send its file",
                    expected: "ready", seen: status?.rawValue ?? "no status", retryable: true, code: .notReady)
            }
        default:
            let target = context.item.kind.target
            link = try await context.retrying("ask for a new upload link") { _ in
                try await client.requestUploadLink(target, key: key, useUpdateCall: true).link
            }
        }
        guard let link else {
            throw context.failure(
                "the platform gave no upload link", expected: "a link block", seen: "nothing",
                code: .unexpectedAnswer)
        }
        state.uploadLink = link
        state.linkIssuedAt = Date()
        try await context.checkpoint(state)
        return link
    }

    /// The item has no asset any more: `create` must make one before the file can be sent.
    struct AssetGone: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// The video's status once it is no longer `processing` (polled for up to 10 minutes); `nil` when
    /// the video is gone.
    static func settledStatus(_ key: String, _ context: StageContext) async throws -> VideoDetails.Status? {
        let client = context.client
        var wait = 0.2
        let deadline = Date().addingTimeInterval(600)
        while true {
            let video: VideoDetails
            do {
                video = try await context.retrying("show the video") { _ in try await client.showVideo(key: key) }
            } catch let error as APIError where error.code == .notFound {
                return nil
            }
            guard video.status == .processing, Date() < deadline else { return video.status ?? .processing }
            try await context.pause(seconds: wait)
            wait = min(wait * 2, 5)
        }
    }
}
