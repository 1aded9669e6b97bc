/// Where a run keeps what it learned of each item, so that a later run skips what is done, resumes the
/// rest after its last checkpoint, and never creates an asset twice. The runner knows journals only
/// through this protocol; ``SQLiteJournal`` is the embedded one.
///
/// What a backend must guarantee:
/// - **A checkpoint is durable before the call it guards.** ``record(_:status:fingerprint:error:)``
///   returns only once the write would survive a crash or a power cut of the machine that holds the
///   journal: the runner writes "create sent" and then sends the create, and a lost write there would make
///   a duplicate. ``record(_:status:fingerprint:error:durability:)`` with
///   ``JournalDurability/processCrash`` may return once the write survives a crash of the process only.
/// - **A write is whole or absent.** A state read back is one that was written, never a mixture.
/// - **One writer per item at a time.** ``claim()`` keeps other runs from working on the same items
///   while a run does (the SQLite journal: one run per journal file).
/// - **Rows belong to one manifest, account and endpoint**: what another manifest recorded is not among
///   ``entries()`` (but its assets are told by ``mediaKeysOfOtherManifests()``, so that none is adopted).
///
/// All methods may be called from any task; none may block a thread of the cooperative pool for longer
/// than a small computation (use the backend's own queues for I/O).
public protocol IngestJournaling: Sendable {
    /// Where the journal is, for messages (a path, a database name); never a password.
    var location: String { get }

    /// Every entry of this manifest, by item id.
    func entries() async throws -> [String: JournalEntry]

    /// Writes an item's state, durably, before returning.
    ///
    /// - Parameters:
    ///   - state: What the run learned of the item.
    ///   - status: Where the item stands.
    ///   - fingerprint: What the item is now (its file and metadata), to tell changes on a later run.
    ///   - error: The last error, for a failed item.
    func record(
        _ state: ItemState, status: JournalEntry.Status, fingerprint: ItemFingerprint, error: String?)
        async throws

    /// Writes an item's state at least as durably as `durability` asks, before returning. The default
    /// writes it as ``record(_:status:fingerprint:error:)`` does, durable on a power cut.
    func record(
        _ state: ItemState, status: JournalEntry.Status, fingerprint: ItemFingerprint, error: String?,
        durability: JournalDurability
    ) async throws

    /// The keys of the assets recorded for other manifests than this one.
    func mediaKeysOfOtherManifests() async throws -> Set<String>

    /// Forgets every create whose answer was lost (account images, skins, tracks): the next run creates
    /// them again. Returns how many items had one.
    @discardableResult
    func forgetPendingCreates() async throws -> Int

    /// Takes the journal for one run; the run holds the claim until it ends.
    ///
    /// - Throws: ``JournalLockedError`` (or a backend's own error) when another run holds it.
    func claim() async throws -> any JournalClaim
}

/// A run's hold on a journal, released by ``release()`` or when the value goes.
public protocol JournalClaim: Sendable {
    /// Gives the journal back.
    func release() async
}

extension IngestJournaling {
    /// Writes the state durably on a power cut, whatever `durability` asks: a backend that can do less for
    /// ``JournalDurability/processCrash`` implements this requirement itself.
    public func record(
        _ state: ItemState, status: JournalEntry.Status, fingerprint: ItemFingerprint, error: String?,
        durability: JournalDurability
    ) async throws {
        try await record(state, status: status, fingerprint: fingerprint, error: error)
    }

    /// Writes an item's state with no error.
    public func record(
        _ state: ItemState, status: JournalEntry.Status, fingerprint: ItemFingerprint
    )
        async throws
    {
        try await record(state, status: status, fingerprint: fingerprint, error: nil)
    }
}

extension IngestJournaling {
    /// Forgets every create whose answer was lost (an account image or skin, a track): the next run
    /// creates them again. For use once the user has checked on the platform that they do not exist;
    /// videos are looked up by their ingest id before any create, so they are never doubled.
    ///
    /// - Returns: How many items had a pending create.
    /// - Throws: What ``entries()`` and ``record(_:status:fingerprint:error:)`` throw.
    @discardableResult
    public func forgetPendingCreates() async throws -> Int {
        var forgotten = 0
        for entry in try await entries().values {
            var state = try entry.state()
            guard state.hasCreateInFlight else { continue }
            state.createPending = false
            state.tracksPending = []
            try await record(state, status: entry.status, fingerprint: entry.fingerprint, error: entry.lastError)
            forgotten += 1
        }
        return forgotten
    }
}
