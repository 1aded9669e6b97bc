import Foundation

/// Which item and stage the current task works for, so that code shared by all items (the rate limiter
/// inside the API client) can report its waits as events of the item that waits.
public enum IngestTaskContext {
    struct Current: Sendable {
        var item: String
        var stage: String
        var sink: @Sendable (IngestEvent.Kind) -> Void
    }

    @TaskLocal static var current: Current?

    /// Reports a wait for the rate-limit window of `call`, as a `rateLimited` event of the current item;
    /// does nothing outside a run's stage.
    public static func reportRateLimit(call: String, until: Date) {
        guard let current else { return }
        current.sink(.rateLimited(item: current.item, stage: current.stage, route: call, until: until))
    }
}
