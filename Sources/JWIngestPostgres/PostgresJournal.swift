import Foundation
import JWIngest
import JWPlatform
import Logging
import PostgresNIO

/// The journal many workers share, on PostgreSQL: the manifest's items are seeded once, leased to the
/// workers that run them (`FOR UPDATE SKIP LOCKED`), renewed by heartbeat while they work, given back on a
/// graceful stop, and leased again by another worker when their worker dies and the lease expires. Every
/// checkpoint is a committed transaction before the call it guards, as with ``SQLiteJournal``.
///
/// ```swift
/// try await PostgresJournal.withJournal(at: PostgresLocation(url: url), manifest: manifest,
///                                       account: key, endpoint: endpoint) { journal in
///     configuration.journal = .custom(journal)
///     return try await IngestRunner(manifest: manifest, configuration: configuration).ingest()
/// }
/// ```
///
/// Rows are kept per run: the manifest's file name, the account key and the endpoint (workers on other
/// machines may see the manifest at other paths). Workers with the same manifest join the run; a manifest
/// whose items changed is planned as updates; a manifest that shares no item with the run of its name is
/// refused.
public final class PostgresJournal: SharedIngestJournaling {
    /// Where the database is and which run this is: never a password.
    public let location: String
    /// This worker: host, pid and a random part.
    public let workerID: String
    /// How often leases are renewed.
    public let heartbeat: Duration
    /// How long a lease lasts without renewal.
    public let leaseLength: Duration
    /// How long a worker with nothing running waits for the database to come back before it ends: five
    /// minutes.
    public let outageLimit: Duration = .seconds(300)
    let client: PostgresClient
    let runKey: String
    /// The account and endpoint: whose rate-limit windows are shared.
    let account: String
    let logger: Logger

    init(
        client: PostgresClient, location: PostgresLocation, runKey: String, account: String, heartbeat: Duration,
        logger: Logger
    ) {
        self.client = client
        self.runKey = runKey
        self.account = account
        self.heartbeat = heartbeat
        self.leaseLength = heartbeat * 3
        self.logger = logger
        self.location = "\(location) (run \(runKey))"
        self.workerID =
            "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// The run of `manifest` for `account` at `endpoint`: its file name, the account and the endpoint (a
    /// password in it redacted).
    public static func runKey(manifest: URL, account: String, endpoint: String) -> String {
        "\(manifest.lastPathComponent) \(account)@\(Redaction.redact(url: endpoint))"
    }

    /// Connects to the database at `location`, migrates its tables, joins (or starts) the run of
    /// `manifest`, runs `body` with the journal, and closes the connections.
    ///
    /// - Parameters:
    ///   - location: The database.
    ///   - manifest: The manifest; its items are seeded into the run once, and changed items marked.
    ///   - account: The API key of the account.
    ///   - endpoint: The API endpoint.
    ///   - heartbeat: How often leases are renewed (a lease lasts three of these).
    ///   - joining: Whether this process is a worker of the run (it seeds the manifest and registers
    ///     itself); `false` to read the run only (`jwingest status`, `plan`, `report`), which must exist.
    ///   - body: The work to do with the journal.
    /// - Throws: ``PostgresJournalError`` when the database cannot be reached or the manifest is not the
    ///   run's; what `body` throws.
    public static func withJournal<Result: Sendable>(
        at location: PostgresLocation, manifest: Manifest, account: String, endpoint: String,
        heartbeat: Duration = .seconds(10), joining: Bool = true, _ body: (PostgresJournal) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "jwingest.postgres")
        logger.logLevel = .critical
        let client = PostgresClient(configuration: location.configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let journal = PostgresJournal(
                client: client, location: location,
                runKey: runKey(manifest: manifest.source, account: account, endpoint: endpoint),
                account: "\(account)@\(Redaction.redact(url: endpoint))", heartbeat: heartbeat, logger: logger)
            do {
                try await PostgresSchema.migrate(client, logger: logger)
                if joining {
                    try await journal.join(manifest)
                } else if try await !journal.runExists() {
                    throw PostgresJournalError(
                        "\(location) holds no run of \(journal.runKey): start one with jwingest run "
                            + "\(manifest.source.lastPathComponent) --journal \(location)")
                }
            } catch let error as PostgresJournalError {
                throw error
            } catch {
                throw PostgresJournalError("cannot use \(location): \(String(reflecting: error))")
            }
            return try await body(journal)
        }
    }

    /// A pacer of the account's rate-limit windows, shared by every worker of the account through the
    /// database: give it to the runner (`configuration.rateLimiting = .pacer(journal.callPacer())`).
    public func callPacer() -> PostgresCallPacer {
        PostgresCallPacer(
            client: client, account: account, logger: logger,
            onWait: { IngestTaskContext.reportRateLimit(call: $0, until: $1) })
    }

    /// Records the run and seeds its items (once, whatever the number of workers), marks items whose
    /// file or metadata changed since they were ingested, and registers this worker.
    func join(_ manifest: Manifest) async throws {
        let ids = manifest.items.map(\.id)
        // Only items whose file this worker sees are judged changed: a worker without the shared volume
        // must not mark every ingested item as changed.
        let present = manifest.items.filter(\.isPresentHere)
        let presentIDs = present.map(\.id)
        let presentFingerprints = present.map(ItemFingerprint.init(of:))
        let runKey = self.runKey
        let name = manifest.source.lastPathComponent
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(runKey)))", logger: logger)
            var known = 0
            var shared = 0
            for try await (total, overlap) in try await connection.query(
                """
                SELECT count(*), count(*) FILTER (WHERE item_id = ANY(\(ids)))
                FROM jwingest_item WHERE run_key = \(runKey)
                """, logger: logger
            ).decode((Int, Int).self) {
                known = total
                shared = overlap
            }
            if known > 0, shared == 0 {
                throw PostgresJournalError(
                    "the run \(runKey) holds \(known) items and this manifest none of them: it is another manifest "
                        + "under the same name; rename it, or give it its own database")
            }
            try await connection.query(
                "INSERT INTO jwingest_run (run_key, manifest_name) VALUES (\(runKey), \(name)) ON CONFLICT DO NOTHING",
                logger: logger)
            try await connection.query(
                """
                INSERT INTO jwingest_item (run_key, item_id, position)
                SELECT \(runKey), id, ordinality FROM unnest(\(ids)::text[]) WITH ORDINALITY AS t(id, ordinality)
                ON CONFLICT (run_key, item_id) DO UPDATE SET position = excluded.position
                """, logger: logger)
            // An ingested item whose file or metadata changed is to be updated: ready to lease again.
            try await connection.query(
                """
                UPDATE jwingest_item AS i SET status = 'changed'
                FROM unnest(\(presentIDs)::text[], \(presentFingerprints.map(\.file))::text[],
                    \(presentFingerprints.map(\.metadata))::text[])
                    AS f(id, file, metadata)
                WHERE i.run_key = \(runKey) AND i.item_id = f.id AND i.status = 'ingested'
                  AND (i.file_fingerprint IS DISTINCT FROM f.file OR i.metadata_fingerprint IS DISTINCT FROM f.metadata)
                """, logger: logger)
        }
        try await client.query(
            """
            INSERT INTO jwingest_worker (worker_id, run_key, host, pid)
            VALUES (\(workerID), \(runKey), \(ProcessInfo.processInfo.hostName), \(Int(getpid())))
            """, logger: logger)
    }

    // MARK: IngestJournaling

    public func entries() async throws -> [String: JournalEntry] {
        var entries: [String: JournalEntry] = [:]
        for entry in try await rows(
            """
            SELECT item_id, status, file_fingerprint, metadata_fingerprint, media_key, state, last_error, updated_at
            FROM jwingest_item WHERE run_key = \(runKey) AND state IS NOT NULL
            """)
        {
            entries[entry.itemID] = entry
        }
        return entries
    }

    public func record(
        _ state: ItemState, status: JournalEntry.Status, fingerprint: ItemFingerprint, error: String?
    ) async throws {
        let text = try state.journalJSON()
        let failed = status == .failed
        var written = 0
        // A committed transaction (synchronous_commit) before the call it guards. An item leased by another
        // worker (this one's lease expired) is not written over.
        do {
            written = try await PostgresDeadline.answered("the write of item '\(state.itemID)'") {
                try await self.write(state, text: text, status: status, failed: failed, fingerprint, error)
            }
        } catch {
            throw JournalError(path: location, reason: "the database cannot be reached: \(String(reflecting: error))")
        }
        guard written == 1 else {
            throw JournalError(
                path: location,
                reason: "item '\(state.itemID)' is leased by another worker now (this worker's lease expired)")
        }
    }

    /// Writes an item's row if this worker may; returns the rows written (0 or 1).
    private func write(
        _ state: ItemState, text: String, status: JournalEntry.Status, failed: Bool, _ fingerprint: ItemFingerprint,
        _ error: String?
    ) async throws -> Int {
        var written = 0
        for try await (_) in try await client.query(
            """
            INSERT INTO jwingest_item AS i (run_key, item_id, position, status, file_fingerprint,
                metadata_fingerprint, media_key, state, last_error, updated_at, failed_at, lease_owner)
            VALUES (\(runKey), \(state.itemID), 2147483647, \(status.rawValue), \(fingerprint.file),
                \(fingerprint.metadata), \(state.mediaKey), \(text), \(error), now(),
                CASE WHEN \(failed) THEN now() END, NULL)
            ON CONFLICT (run_key, item_id) DO UPDATE SET status = excluded.status,
                file_fingerprint = excluded.file_fingerprint, metadata_fingerprint = excluded.metadata_fingerprint,
                media_key = excluded.media_key, state = excluded.state, last_error = excluded.last_error,
                updated_at = now(), failed_at = excluded.failed_at
            WHERE i.lease_owner IS NULL OR i.lease_owner = \(workerID) OR i.lease_expires < now()
            RETURNING 1
            """, logger: logger
        ).decode(Int.self) {
            written += 1
        }
        return written
    }

    public func mediaKeysOfOtherManifests() async throws -> Set<String> {
        var keys: Set<String> = []
        for try await (key) in try await client.query(
            "SELECT media_key FROM jwingest_item WHERE run_key <> \(runKey) AND media_key IS NOT NULL", logger: logger
        ).decode(String.self) {
            keys.insert(key)
        }
        return keys
    }

    /// Workers share the journal: claiming it excludes nobody; its release gives this worker's leases back
    /// and marks it stopped, so that other workers take its items at once.
    public func claim() async throws -> any JournalClaim { WorkerClaim(journal: self) }

    // MARK: SharedIngestJournaling

    public func lease(upTo count: Int, excluding excluded: Set<String>) async throws -> [LeasedItem] {
        guard count > 0 else { return [] }
        return try await PostgresDeadline.answered("a lease") {
            try await self.leaseNow(upTo: count, excluding: excluded)
        }
    }

    private func leaseNow(upTo count: Int, excluding excluded: Set<String>) async throws -> [LeasedItem] {
        let excluded = Array(excluded)
        let milliseconds = Int(leaseLength.components.seconds * 1000)
        var leased: [(Int, LeasedItem)] = []
        // The pick is a materialized CTE: as a subquery joined to the UPDATE, the planner may run it once per
        // row and lease far more than `count` items.
        for try await (id, status, file, metadata, key, state, error, updated, position) in try await client.query(
            """
            WITH pick AS MATERIALIZED (
                SELECT item_id FROM jwingest_item
                WHERE run_key = \(runKey) AND status <> 'ingested' AND item_id <> ALL(\(excluded)::text[])
                  AND (lease_owner IS NULL OR lease_expires < now())
                  AND NOT (status = 'failed' AND failed_at >= (
                      SELECT started_at FROM jwingest_worker WHERE worker_id = \(workerID)))
                ORDER BY position
                LIMIT \(count)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE jwingest_item AS i
            SET lease_owner = \(workerID), lease_expires = now() + make_interval(secs => \(milliseconds) / 1000.0)
            FROM pick
            WHERE i.run_key = \(runKey) AND i.item_id = pick.item_id
            RETURNING i.item_id, i.status, i.file_fingerprint, i.metadata_fingerprint, i.media_key, i.state,
                i.last_error, i.updated_at, i.position
            """, logger: logger
        ).decode((String, String, String?, String?, String?, String?, String?, Date, Int).self) {
            let entry = Self.entry(id, status, file, metadata, key, state, error, updated)
            leased.append((position, LeasedItem(itemID: id, entry: entry)))
        }
        return leased.sorted { $0.0 < $1.0 }.map(\.1)
    }

    public func renewLeases() async throws {
        try await PostgresDeadline.answered("the heartbeat") { try await self.renewLeasesNow() }
    }

    private func renewLeasesNow() async throws {
        let milliseconds = Int(leaseLength.components.seconds * 1000)
        try await client.query(
            """
            UPDATE jwingest_item SET lease_expires = now() + make_interval(secs => \(milliseconds) / 1000.0)
            WHERE lease_owner = \(workerID)
            """, logger: logger)
        try await client.query(
            "UPDATE jwingest_worker SET heartbeat_at = now() WHERE worker_id = \(workerID)", logger: logger)
    }

    public func release(_ itemID: String) async throws {
        try await PostgresDeadline.answered("the release of item '\(itemID)'") { try await self.releaseNow(itemID) }
    }

    private func releaseNow(_ itemID: String) async throws {
        try await client.query(
            """
            UPDATE jwingest_item SET lease_owner = NULL, lease_expires = NULL
            WHERE run_key = \(runKey) AND item_id = \(itemID) AND lease_owner = \(workerID)
            """, logger: logger)
        try await client.query(
            "UPDATE jwingest_worker SET items_done = items_done + 1 WHERE worker_id = \(workerID)", logger: logger)
    }

    public func othersHoldLeases() async throws -> Bool {
        try await PostgresDeadline.answered("whether other workers hold leases") {
            try await self.othersHoldLeasesNow()
        }
    }

    private func othersHoldLeasesNow() async throws -> Bool {
        var held = false
        for try await (exists) in try await client.query(
            """
            SELECT EXISTS (SELECT 1 FROM jwingest_item WHERE run_key = \(runKey)
                AND lease_owner IS NOT NULL AND lease_owner <> \(workerID) AND lease_expires > now())
            """, logger: logger
        ).decode(Bool.self) {
            held = exists
        }
        return held
    }

    /// Gives this worker's leases back and marks it stopped.
    func giveBack() async {
        _ = try? await PostgresDeadline.answered("the leases given back") {
            try await self.client.query(
                "UPDATE jwingest_item SET lease_owner = NULL, lease_expires = NULL WHERE lease_owner = \(self.workerID)",
                logger: self.logger)
            try await self.client.query(
                "UPDATE jwingest_worker SET stopped_at = now() WHERE worker_id = \(self.workerID)", logger: self.logger)
        }
    }

    // MARK: Rows

    private func rows(_ query: PostgresQuery) async throws -> [JournalEntry] {
        var entries: [JournalEntry] = []
        for try await (id, status, file, metadata, key, state, error, updated) in try await client.query(
            query, logger: logger
        ).decode((String, String, String?, String?, String?, String?, String?, Date).self) {
            if let entry = Self.entry(id, status, file, metadata, key, state, error, updated) { entries.append(entry) }
        }
        return entries
    }

    /// A row as a journal entry; `nil` for an item seeded and never started.
    static func entry(
        _ id: String, _ status: String, _ file: String?, _ metadata: String?, _ key: String?, _ state: String?,
        _ error: String?, _ updated: Date
    ) -> JournalEntry? {
        guard let state, let file, let metadata else { return nil }
        return JournalEntry(
            itemID: id, status: JournalEntry.Status(rawValue: status == "changed" ? "ingested" : status),
            fingerprint: ItemFingerprint(file: file, metadata: metadata), mediaKey: key,
            encodedState: Data(state.utf8), lastError: error, updatedAt: updated)
    }
}

/// A worker's hold on a shared journal: released, it gives the worker's leases back.
struct WorkerClaim: JournalClaim {
    let journal: PostgresJournal

    func release() async { await journal.giveBack() }
}
