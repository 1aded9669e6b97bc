/// One step of an item's way to the platform.
///
/// A stage reads the item (``StageContext/item``) and the state that earlier stages left, does its work
/// and records what it produced in the state. It must be idempotent given that state: when the state
/// shows the work done (a media key, a verified upload), running it again does nothing. That is what lets
/// a run stop after any stage and resume without creating a second asset.
///
/// ```swift
/// struct RequireTitle: Stage {
///     let name = "require-title"
///     func run(_ state: inout ItemState, _ context: StageContext) async throws {
///         guard context.item.metadata.title?.isEmpty == false else {
///             throw context.failure("the item has no title")
///         }
///     }
/// }
/// ```
public protocol Stage: Sendable {
    /// The name the manifest's `pipeline:` list uses, and that events and reports show.
    var name: String { get }

    /// Does the stage's work for one item.
    ///
    /// - Parameters:
    ///   - state: What is known so far; add what this stage produced.
    ///   - context: The item, the API client, the options and the event sink.
    /// - Throws: An ``IngestError`` (see ``StageContext/failure(_:expected:seen:retryable:)``) or any error,
    ///   which fails the item with the stage's name.
    func run(_ state: inout ItemState, _ context: StageContext) async throws
}
