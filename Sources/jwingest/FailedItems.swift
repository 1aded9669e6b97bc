import Foundation
import JWIngest

/// The ids whose last attempt failed, as the journal of a manifest records them (`--failed`).
enum FailedItems {
    /// The failed ids of `manifest`'s journal; none when the journal does not exist yet.
    static func ids(
        of manifest: Manifest, journal: JournalArgument, account: String?, endpoint: String
    ) async throws -> Set<String> {
        let entries = try await journal.entries(of: manifest, account: account, endpoint: endpoint)
        return Set(entries.values.filter { $0.status == .failed }.map(\.itemID))
    }
}
