/// `validate`: the item's checks that need no network (``ItemChecker``): file present and not too large,
/// duration at least `min_duration`, thumbnail an image, tracks WebVTT or SRT. Records the file's size,
/// modification time and duration in the state.
public struct ValidateStage: Stage {
    /// The stage's name in pipelines, events and reports.
    public let name = "validate"

    /// Local: it reads the file or compares digests, and calls nothing.
    public var isLocal: Bool { true }

    /// Creates the stage.
    public init() {}

    /// Does the stage's work for one item; see the type's discussion.
    @discardableResult
    public func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome {
        let result = ItemChecker(options: context.options).check(context.item)
        guard result.problems.isEmpty else {
            throw context.failure(result.problems.map(\.message).joined(separator: "; "), code: .invalidItem)
        }
        state.fileSize = result.size
        state.fileModified = result.modified
        state.duration = result.media?.duration
        return .done
    }
}
