import Logging
import PostgresNIO

/// The shared journal's tables, created and migrated by the journal itself: versioned migrations applied
/// in one transaction under an advisory lock, so that workers starting at once migrate once.
enum PostgresSchema {
    /// The advisory-lock key of migrations (any constant of our own).
    static let migrationLock: Int64 = 0x6a77_696e_6765_7374

    /// The migrations, in order; each one's statements run in the transaction that records it.
    static let migrations: [(version: Int, statements: [PostgresQuery])] = [
        (
            1,
            [
                """
                CREATE TABLE jwingest_run (
                    run_key text PRIMARY KEY,
                    manifest_name text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE jwingest_item (
                    run_key text NOT NULL REFERENCES jwingest_run ON DELETE CASCADE,
                    item_id text NOT NULL,
                    position integer NOT NULL,
                    status text NOT NULL DEFAULT 'new',
                    file_fingerprint text,
                    metadata_fingerprint text,
                    media_key text,
                    state text,
                    last_error text,
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    failed_at timestamptz,
                    lease_owner text,
                    lease_expires timestamptz,
                    PRIMARY KEY (run_key, item_id)
                )
                """,
                "CREATE INDEX jwingest_item_ready ON jwingest_item (run_key, position) WHERE status <> 'ingested'",
                "CREATE INDEX jwingest_item_owner ON jwingest_item (lease_owner) WHERE lease_owner IS NOT NULL",
                """
                CREATE TABLE jwingest_worker (
                    worker_id text PRIMARY KEY,
                    run_key text NOT NULL,
                    host text NOT NULL,
                    pid integer NOT NULL,
                    started_at timestamptz NOT NULL DEFAULT now(),
                    heartbeat_at timestamptz NOT NULL DEFAULT now(),
                    items_done integer NOT NULL DEFAULT 0,
                    stopped_at timestamptz
                )
                """,
            ]
        ),
        (
            2,
            [
                """
                CREATE TABLE jwingest_rate_window (
                    account text NOT NULL,
                    route text NOT NULL,
                    limit_count bigint NOT NULL,
                    remaining bigint NOT NULL,
                    reset_at timestamptz NOT NULL,
                    provisional boolean NOT NULL DEFAULT false,
                    PRIMARY KEY (account, route)
                )
                """
            ]
        ),
    ]

    /// Brings the database's tables to the newest version.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS jwingest_migration (
                    version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """, logger: logger)
            var applied: Int = 0
            for try await (version) in try await connection.query(
                "SELECT coalesce(max(version), 0) FROM jwingest_migration", logger: logger
            ).decode(Int.self) {
                applied = version
            }
            for migration in migrations where migration.version > applied {
                for statement in migration.statements { try await connection.query(statement, logger: logger) }
                try await connection.query(
                    "INSERT INTO jwingest_migration (version) VALUES (\(migration.version))", logger: logger)
            }
        }
    }
}
