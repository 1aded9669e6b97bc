/// A journal that several workers share (on one machine or many): the manifest's items are leased, not
/// assigned. A worker leases a few items that are ready (not done, not leased by a live worker), renews its
/// leases while it works, and gives them back when it stops; an item whose worker died is leased again by
/// another once its lease expires, and resumed from its last checkpoint.
///
/// The runner sees such a journal and works in leases: it asks for items as it has room, never plans the
/// whole manifest at once, and ends when nothing is left to lease and no live worker holds any item.
public protocol SharedIngestJournaling: IngestJournaling {
    /// Leases up to `count` ready items, in manifest order, with what the journal knows of each (`nil`
    /// for an item not started), leaving out the items in `excluded` (those this worker passed on).
    func lease(upTo count: Int, excluding excluded: Set<String>) async throws -> [LeasedItem]

    /// Renews this worker's leases and its heartbeat; gives the items of expired workers back.
    func renewLeases() async throws

    /// Gives an item's lease back (its state was recorded).
    func release(_ itemID: String) async throws

    /// Whether workers other than this one hold live leases (items in progress elsewhere).
    func othersHoldLeases() async throws -> Bool

    /// How often leases are renewed; a lease lasts several of these.
    var heartbeat: Duration { get }

    /// How long a worker with nothing running waits for the journal to come back before it ends.
    var outageLimit: Duration { get }
}

/// An item a shared journal leased to this worker.
public struct LeasedItem: Sendable, Hashable {
    /// The item's id.
    public var itemID: String
    /// What the journal knows of it; `nil` for an item not started.
    public var entry: JournalEntry?

    /// Creates a leased item.
    public init(itemID: String, entry: JournalEntry?) {
        self.itemID = itemID
        self.entry = entry
    }
}

extension SharedIngestJournaling {
    /// Leases up to `count` ready items, in manifest order.
    public func lease(upTo count: Int) async throws -> [LeasedItem] {
        try await lease(upTo: count, excluding: [])
    }
}
