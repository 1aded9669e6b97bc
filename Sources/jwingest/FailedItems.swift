import Foundation
import JWIngest

/// The ids whose last attempt failed, as the journal of a manifest records them (`--failed`).
enum FailedItems {
    /// The failed ids of `manifest`'s journal; none when the journal does not exist yet.
    static func ids(
        of manifest: Manifest, journal: JournalArgument, account: String?, endpoint: String
    ) async throws -> Set<String> {
        if case .file(let path) = journal, !FileManager.default.fileExists(atPath: path.path) { return [] }
        let entries = try await journal.read(manifest, account: account, endpoint: endpoint) { journal, _ in
            try await journal.entries()
        }
        return Set(entries.values.filter { $0.status == .failed }.map(\.itemID))
    }
}
