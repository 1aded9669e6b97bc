import Foundation
import JWIngest
import JWIngestPostgres

/// What `--journal` (or `JWINGEST_JOURNAL`) names: a journal file (by default beside the manifest), or a
/// PostgreSQL database that many workers share (`postgres://USER@HOST:PORT/DB`).
enum JournalArgument {
    case file(URL)
    case shared(PostgresLocation)

    /// The journal of `manifest` that `given` names (`nil`: `JWINGEST_JOURNAL`, else the default file).
    ///
    /// - Throws: ``PostgresJournalError`` for a PostgreSQL URL that cannot be read.
    init(_ given: String?, manifest: URL) throws {
        let named = given ?? ProcessInfo.processInfo.environment["JWINGEST_JOURNAL"]
        if let named, PostgresLocation.isPostgresURL(named) {
            self = .shared(try PostgresLocation(url: named))
        } else {
            self = .file(named.map { URL(fileURLWithPath: $0) } ?? SQLiteJournal.defaultPath(for: manifest))
        }
    }

    /// Runs `body` with the journal open to read it: the file, or the shared run of `manifest` (which must
    /// exist; reading it registers no worker). `body` is given the shared journal too, when it is one.
    ///
    /// - Parameter account: The API key; a shared run is found by it, so it is required then.
    func read<Result: Sendable>(
        _ manifest: Manifest, account: String?, endpoint: String,
        _ body: (any IngestJournaling, PostgresJournal?) async throws -> Result
    ) async throws -> Result {
        switch self {
        case .file(let path):
            let journal = try SQLiteJournal(
                path: path, manifest: manifest.source, account: account ?? "-", endpoint: endpoint)
            return try await body(journal, nil)
        case .shared(let location):
            guard let account else {
                throw UsageError(
                    description: "a shared journal's run is found by its account: give JW_API_KEY (or --credentials)")
            }
            return try await PostgresJournal.withJournal(
                at: location, manifest: manifest, account: account, endpoint: endpoint, joining: false
            ) { journal in try await body(journal, journal) }
        }
    }

    /// The entries of `manifest`'s journal; none when its file does not exist yet (nothing is created).
    func entries(
        of manifest: Manifest, account: String?, endpoint: String
    ) async throws -> [String: JournalEntry] {
        if case .file(let path) = self, !FileManager.default.fileExists(atPath: path.path) { return [:] }
        return try await read(manifest, account: account, endpoint: endpoint) { journal, _ in
            try await journal.entries()
        }
    }
}
