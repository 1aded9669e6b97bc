import Foundation
import JWPlatform

/// `wait-ready` (optional): polls `/videos/show` (on v2, `GET …/media/{id}/`) until the video is `ready`,
/// failing the item when the platform says `failed` (with its error) or the `timeout` (seconds, default
/// 600) passes.
public struct WaitReadyStage: Stage {
    /// The stage's name in pipelines, events and reports.
    public let name = "wait-ready"
    /// How long to wait.
    public var timeout: Double

    /// Creates the stage with its pipeline options (`timeout`).
    ///
    /// - Throws: ``StageOptionError`` for an option it does not know or a bad value.
    public init(step: PipelineStep = PipelineStep(name: "wait-ready")) throws {
        timeout = 600
        for (name, value) in step.options {
            guard name == "timeout" else {
                throw StageOptionError(stage: "wait-ready", option: name, reason: "unknown option; known: timeout")
            }
            guard let seconds = Double(value), seconds > 0 else {
                throw StageOptionError(
                    stage: "wait-ready", option: name,
                    reason: "must be a number of seconds, not \(value.debugDescription)")
            }
            timeout = seconds
        }
    }

    /// `create` comes first.
    public var requirements: [String] { ["create"] }

    /// Does the stage's work for one item; see the type's discussion.
    @discardableResult
    public func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome {
        guard context.item.kind == .video, state.remoteStatus != "ready" else { return .done }
        guard let key = state.mediaKey else {
            throw context.failure("no video to wait for; put create first", code: .pipeline)
        }
        let (client, v2) = (context.client, context.v2)
        let deadline = Date().addingTimeInterval(timeout)
        var wait = 0.25
        while true {
            let (status, error) = try await context.retrying("show the video") { _ -> (String?, String?) in
                if let v2 {
                    let media = try await v2.media(id: key)
                    return (media.status, media.errorMessage)
                }
                let video = try await client.showVideo(key: key)
                return (video.status?.rawValue, video.error)
            }
            state.remoteStatus = status
            if status == "ready" { return .done }
            if status == "failed" {
                throw context.failure(
                    "the platform could not process the media: \(error ?? "no reason given")", expected: "ready",
                    seen: "failed", code: .processingFailed)
            }
            guard Date() < deadline else {
                throw context.failure(
                    "the video was not ready after \(Int(timeout)) s", expected: "ready",
                    seen: status ?? "no status", retryable: true, code: .notReady)
            }
            try await context.pause(seconds: wait)
            wait = min(wait * 1.5, 5)
        }
    }
}

/// A stage option in the manifest's `pipeline:` list is wrong.
public struct StageOptionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stage.
    public var stage: String
    /// The option.
    public var option: String
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(stage: String, option: String, reason: String) {
        self.stage = stage
        self.option = option
        self.reason = reason
    }

    /// The text shown in messages and logs.
    public var description: String { "option \(option): \(reason)" }
}
