import Foundation
import JWIngest
import JWPlatform

/// Where `run`, `plan` and `status` keep and find a manifest's journal.
enum JournalOptions {
    /// Opens the journal at `path` (default beside the manifest). Its rows are kept per manifest file
    /// (its absolute path), account key and endpoint, so that two manifests of one name in different
    /// folders, or the same manifest run against staging and production, never mix.
    static func open(
        manifest: URL, path: String?, credentials: APICredentials?, endpoint: String
    ) throws -> SQLiteJournal {
        let location = path.map { URL(fileURLWithPath: $0) } ?? SQLiteJournal.defaultPath(for: manifest)
        return try SQLiteJournal(
            path: location, manifest: manifest, account: credentials?.key ?? "-", endpoint: endpoint)
    }
}
