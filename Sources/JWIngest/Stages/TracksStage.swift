import JWPlatform

/// `tracks`: creates each caption or chapter track of the item and sends its file, checking the digest.
/// A track already created or sent (by the state) is not created or sent again.
public struct TracksStage: Stage {
    /// The stage's name in pipelines, events and reports.
    public let name = "tracks"

    /// Creates the stage.
    public init() {}

    /// `create` comes first.
    public var requirements: [String] { ["create"] }

    /// Does the stage's work for one item; see the type's discussion.
    @discardableResult
    public func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome {
        if let v2 = context.v2 {
            try await V2Companions.tracks(&state, context, v2)
            return .done
        }
        guard context.item.kind == .video, !context.item.tracks.isEmpty else { return .done }
        guard let videoKey = state.mediaKey else {
            throw context.failure("no video to attach to; put create first", code: .pipeline)
        }
        let client = context.client
        for track in context.item.tracks where !state.tracksUploaded.contains(track.identity) {
            let size = try UploadStage.size(of: track.file, context)
            if state.tracksPending.contains(track.identity), state.trackKeys[track.identity] == nil {
                // There is no call to list a video's tracks, so whether it was made cannot be known here.
                throw context.failure(
                    "a run stopped after asking for the \(track.metadata.kind) track \(track.file.lastPathComponent) "
                        + "and before its answer was kept; video \(videoKey) may already have it. Check its tracks, "
                        + "then run with --forget-pending-creates to create it again", code: .pendingCreate)
            }
            if state.trackKeys[track.identity] == nil {
                state.tracksPending.insert(track.identity)
                try await context.checkpoint(state)
                // Sent again only when the platform surely did not run it: a second create is a second track.
                let answer: CreateAnswer
                do {
                    answer = try await context.retrying(
                        "create the \(track.metadata.kind) track", verdict: RetryEngine.onlyWhenSurelyNotRun
                    ) { _ in
                        try await client.createTrack(videoKey: videoKey, track.metadata)
                    }
                } catch {
                    // Every attempt was refused before it ran (only those are repeated): nothing is pending.
                    if APIClient.surelyNotExecuted(error) {
                        state.tracksPending.remove(track.identity)
                        try? await context.checkpoint(state)
                    }
                    throw error
                }
                guard let key = answer.media?.key, let link = answer.link else {
                    throw context.failure(
                        "the track answer has no key or link", expected: "track.key and link", seen: "\(answer)",
                        code: .unexpectedAnswer)
                }
                state.trackKeys[track.identity] = key
                state.trackLinks[track.identity] = link
                state.tracksPending.remove(track.identity)
                try await context.checkpoint(state)
            }
            let trackKey = state.trackKeys[track.identity] ?? "?"
            _ = try await FileTransfer.send(
                track.file, size: size, what: "\(track.metadata.kind) track", verify: true, context: context,
                link: state.trackLinks[track.identity],
                renewLink: {
                    // A track has no update call: once its one link is used or lost, no new one can be had.
                    throw context.failure(
                        "track \(trackKey) has no usable upload link (used, or lost with an earlier run); "
                            + "delete the track on the platform and run again", code: .noUploadLink)
                })
            state.tracksUploaded.insert(track.identity)
            state.trackLinks[track.identity] = nil
        }
        return .done
    }
}
