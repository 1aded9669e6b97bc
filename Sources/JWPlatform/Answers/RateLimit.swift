import Foundation

/// The `rate_limit` block of an answer: how many calls the route allows per window, how many are left,
/// and when the window renews.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    /// Calls allowed per window (60 a minute per route, 30 for `/videos/list`).
    public var limit: Int64
    /// Calls left in this window.
    public var remaining: Int64
    /// When the window renews.
    public var reset: Date

    /// Creates a block.
    public init(limit: Int64, remaining: Int64, reset: Date) {
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
    }

    /// Reads the `rate_limit` member of an answer, or `nil` when it has none.
    public init?(answer: AnswerReader) throws {
        guard let block = answer.optional("rate_limit") else { return nil }
        self.limit = try block.integer("limit")
        self.remaining = try block.integer("remaining")
        self.reset = Date(timeIntervalSince1970: TimeInterval(try block.integer("reset")))
    }

    /// The text shown in messages and logs.
    public var description: String {
        "\(remaining)/\(limit) left, renews at \(reset.timeIntervalSince1970.rounded(.down))"
    }
}
