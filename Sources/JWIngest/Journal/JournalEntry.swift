import Foundation

/// One item as the journal last saw it.
public struct JournalEntry: Sendable, Hashable {
    /// The item's manifest id.
    public var itemID: String
    /// Where it stands.
    public var status: Status
    /// What the item was.
    public var fingerprint: ItemFingerprint
    /// The asset's key, when it has one.
    public var mediaKey: String?
    /// The item's state as stored (JSON); ``state()`` reads it. Read only when needed, so that a re-run
    /// of a finished manifest of thousands of items does not decode thousands of states.
    public var encodedState: Data
    /// The last error, for a failed item.
    public var lastError: String?
    /// When it was written.
    public var updatedAt: Date

    /// Creates an entry (a journal backend does, from what it stored).
    public init(
        itemID: String, status: Status, fingerprint: ItemFingerprint, mediaKey: String?, encodedState: Data,
        lastError: String?, updatedAt: Date
    ) {
        self.itemID = itemID
        self.status = status
        self.fingerprint = fingerprint
        self.mediaKey = mediaKey
        self.encodedState = encodedState
        self.lastError = lastError
        self.updatedAt = updatedAt
    }

    /// What the run had learned, after its last checkpoint.
    ///
    /// - Throws: ``JournalError`` when the stored state cannot be read.
    public func state() throws -> ItemState {
        do {
            return try JSONDecoder().decode(ItemState.self, from: encodedState)
        } catch {
            throw JournalError(path: "", reason: "item '\(itemID)': its stored state cannot be read: \(error)")
        }
    }

    /// Where an item stands in the journal.
    public struct Status: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The name, as written in manifests, answers and reports.
        public var rawValue: String
        /// Creates a value named `rawValue`.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The text shown in messages and logs.
        public var description: String { rawValue }

        /// Started, not finished: a later run resumes it.
        public static let running = Status(rawValue: "running")
        /// Every stage finished.
        public static let ingested = Status(rawValue: "ingested")
        /// A stage failed it; a later run tries it again from its last checkpoint.
        public static let failed = Status(rawValue: "failed")
    }
}
