/// Why a stage failed an item: the item and stage, what was expected and what was seen, and whether a
/// retry could help.
public struct IngestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The item's manifest id.
    public var itemID: String
    /// The stage that failed.
    public var stage: String
    /// What went wrong and what to do.
    public var message: String
    /// What was expected, when it is a comparison.
    public var expected: String?
    /// What was seen instead.
    public var seen: String?
    /// Whether trying again could help.
    public var isRetryable: Bool

    /// Creates an error.
    public init(
        itemID: String, stage: String, message: String, expected: String? = nil, seen: String? = nil,
        isRetryable: Bool = false
    ) {
        self.itemID = itemID
        self.stage = stage
        self.message = message
        self.expected = expected
        self.seen = seen
        self.isRetryable = isRetryable
    }

    /// `item 'intro', stage upload: …; expected …, saw …`.
    public var description: String {
        var text = "item '\(itemID)', stage \(stage): \(message)"
        if let expected, let seen { text += "; expected \(expected), saw \(seen)" }
        return text
    }
}

/// A stage gave up a wait because the run is being stopped; the item counts as interrupted after its
/// last finished stage, not as failed.
public struct IngestInterruption: Error, Sendable, Hashable, CustomStringConvertible {
    /// The item.
    public var itemID: String
    /// The stage that was waiting.
    public var stage: String

    /// Creates the error.
    public init(itemID: String, stage: String) {
        self.itemID = itemID
        self.stage = stage
    }

    public var description: String { "item '\(itemID)', stage \(stage): stopped while waiting" }
}
