import Foundation
import JWIngestPostgres
import JWTestSupport
import Logging
import PostgresNIO

/// The PostgreSQL server that `scripts/test.sh` starts on 127.0.0.1 (its URL in
/// `JWINGEST_TEST_POSTGRES_URL`), and fresh databases on it, one per test.
enum TestDatabase {
    /// The server's URL; a missing server fails the test (it never skips).
    static var url: String {
        get throws {
            guard let url = ProcessInfo.processInfo.environment["JWINGEST_TEST_POSTGRES_URL"], !url.isEmpty else {
                throw MissingTestTool(
                    tool: "a PostgreSQL server (JWINGEST_TEST_POSTGRES_URL)",
                    remedy: "run scripts/test.sh (it starts a throw-away cluster on 127.0.0.1)")
            }
            return url
        }
    }

    /// Runs `body` with a client of the database at `url`.
    static func withClient<Result: Sendable>(
        _ url: String, _ body: (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let location = try PostgresLocation(url: url)
        let client = PostgresClient(
            configuration: PostgresClient.Configuration(
                host: location.host, port: location.port, username: location.user, password: nil,
                database: location.database, tls: .disable),
            backgroundLogger: Logger(label: "test.postgres"))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// A new, empty database on the test server; its URL.
    static func fresh() async throws -> String {
        let base = try url
        let name = "t_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        try await withClient(base) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: Logger(label: "test"))
        }
        let location = try PostgresLocation(url: base)
        return "postgres://\(location.user)@\(location.host):\(location.port)/\(name)"
    }

    /// The first column of the first row of `sql` in the database at `url`, as an integer.
    static func integer(_ sql: String, in url: String) async throws -> Int {
        try await withClient(url) { client in
            var value = -1
            for try await (number) in try await client.query(
                PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test")
            )
            .decode(Int.self) {
                value = number
            }
            return value
        }
    }
}
