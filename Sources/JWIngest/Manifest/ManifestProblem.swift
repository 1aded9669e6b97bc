/// One thing wrong with a manifest or one of its items, found before any network call.
public struct ManifestProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where it was written.
    public var position: SourcePosition
    /// The item it concerns, when it concerns one.
    public var itemID: String?
    /// What is wrong, and what to do.
    public var message: String

    /// Creates a problem.
    public init(_ message: String, at position: SourcePosition, item itemID: String? = nil) {
        self.message = message
        self.position = position
        self.itemID = itemID
    }

    /// `demo.yaml:12:5: item 'intro': …`.
    public var description: String {
        "\(position): " + (itemID.map { "item '\($0)': " } ?? "") + message
    }
}

/// A manifest that cannot be run, with every problem found (not only the first).
public struct ManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in the order of the file.
    public var problems: [ManifestProblem]

    /// Creates an error.
    public init(problems: [ManifestProblem]) { self.problems = problems }

    /// The text shown in messages and logs.
    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return "\(count):\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
