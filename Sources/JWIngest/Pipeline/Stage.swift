/// One step of an item's way to the platform.
///
/// A stage reads the item (``StageContext/item``) and the state that earlier stages left, does its work,
/// records what it produced in the state, and says what should happen next (``StageOutcome``): the
/// runner does it. A stage never calls another stage: when work must be done again (a file sent again
/// after a wrong digest, a video created anew), it returns ``StageOutcome/resend(from:because:)`` and the
/// runner goes back, with that stage's cap, events and checkpoints.
///
/// A stage must be idempotent given its state: when the state shows the work done (a media key, a
/// verified upload), running it again does nothing. That is what lets a run stop after any stage and
/// resume without creating a second asset.
///
/// ```swift
/// struct RequireTitle: Stage {
///     let name = "require-title"
///     func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome {
///         guard context.item.metadata.title?.isEmpty == false else {
///             throw context.failure("the item has no title")
///         }
///         return .done
///     }
/// }
/// ```
public protocol Stage: Sendable {
    /// The name the manifest's `pipeline:` list uses, and that events and reports show.
    var name: String { get }

    /// The stages that must come before this one in a pipeline (`["create"]` for a stage that needs the
    /// asset's key); ``StageRegistry/resolve(_:options:)`` checks them. None by default.
    var requirements: [String] { get }

    /// Does the stage's work for one item.
    ///
    /// - Parameters:
    ///   - state: What is known so far; add what this stage produced.
    ///   - context: The item, the API client, the options and the event sink.
    /// - Returns: What should happen next: usually ``StageOutcome/done``.
    /// - Throws: An ``IngestError`` (see ``StageContext/failure(_:expected:seen:retryable:code:)``) or any error,
    ///   which fails the item with the stage's name.
    func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome

    /// Whether the stage works on this machine only: it makes no network call and changes nothing outside
    /// the item's state (`validate` reads the file, `verify` compares digests). Running it again is
    /// harmless, so the runner need not make its result durable at once: the state is written, whole, before
    /// the next stage that is not local makes its first call, and when the item ends or stops. That saves a
    /// synchronous journal write for each such stage. `false` by default: the runner then writes the state
    /// after the stage (unless the next stage is local and nothing follows it before the next write).
    var isLocal: Bool { get }
}

extension Stage {
    /// No requirements.
    public var requirements: [String] { [] }

    /// Not local: the runner writes the state after the stage before any other stage calls the network.
    public var isLocal: Bool { false }
}

/// What a stage says should happen next. The runner does it: a stage never runs another stage.
public struct StageOutcome: Sendable, Hashable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        case done
        case resend(from: String, failure: IngestError)
        case retryLater(IngestError)
    }

    let kind: Kind

    /// The stage's work is done: on to the next stage.
    public static let done = StageOutcome(kind: .done)

    /// Run the pipeline again from the earlier stage `stage`: `upload` after the server received other
    /// bytes than were sent, `create` after a video that could not take a file was deleted. The runner
    /// does it under that stage's cap and with its events, at most the manifest's `retries` times for an
    /// item; then the item fails with `failure`.
    public static func resend(from stage: String, because failure: IngestError) -> StageOutcome {
        StageOutcome(kind: .resend(from: stage, failure: failure))
    }

    /// Stop the item for now, without failing what it did: the platform is not ready for the next step
    /// (a video still processing). The item is reported failed with `reason` (retryable), and a later run
    /// resumes it after its last finished stage.
    public static func retryLater(_ reason: IngestError) -> StageOutcome {
        var retryable = reason
        retryable.isRetryable = true
        return StageOutcome(kind: .retryLater(retryable))
    }

    /// The text shown in messages and logs.
    public var description: String {
        switch kind {
        case .done: return "done"
        case .resend(let stage, let failure): return "resend from \(stage): \(failure.message)"
        case .retryLater(let reason): return "retry later: \(reason.message)"
        }
    }
}
