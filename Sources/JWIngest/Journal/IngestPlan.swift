import Foundation
import JWPlatform

/// What a run will do with each item, from the manifest and the journal: create it, resume it at a
/// stage, update it, or leave it unchanged; and which journal entries have left the manifest.
public struct IngestPlan: Sendable {
    /// One item's plan.
    public struct Entry: Sendable, Hashable {
        /// The item.
        public var item: IngestItem
        /// What will be done.
        public var action: Action
        /// The state the item starts from.
        public var state: ItemState
        /// The item's fingerprint now.
        public var fingerprint: ItemFingerprint
        /// The video found on the platform by the item's ingest id when the journal did not know its asset
        /// (see ``IngestPlan/adopt(_:pipeline:)``).
        public var adopted: VideoDetails?
        /// Further videos carrying the same ingest id: duplicates made before, for the user to delete.
        public var duplicates: [String] = []
    }

    /// What a run does with an item.
    public enum Action: Sendable, Hashable, CustomStringConvertible {
        /// Not in the journal: created from the start.
        case create
        /// Started before and not finished (stopped or failed): goes on at `stage`.
        case resume(stage: String)
        /// Ingested before and changed since: its asset is updated, never created again.
        case update(file: Bool, metadata: Bool)
        /// Ingested before and unchanged: nothing to do.
        case unchanged

        /// The text shown in messages and logs.
        public var description: String {
            switch self {
            case .create: return "create"
            case .resume(let stage): return "resume at stage \(stage)"
            case .update(let file, let metadata):
                let what = [file ? "file" : nil, metadata ? "metadata" : nil].compactMap { $0 }.joined(
                    separator: " and ")
                return "update (\(what) changed)"
            case .unchanged: return "unchanged"
            }
        }
    }

    /// Every item of the manifest, in order.
    public var entries: [Entry]
    /// Journal entries whose item is no longer in the manifest.
    public var orphaned: [JournalEntry]

    /// Plans `manifest` against `journal` (its entries by item id) for `pipeline` (stage names in order).
    ///
    /// - Throws: ``JournalError`` when a stored state that is needed cannot be read.
    public init(manifest: Manifest, journal: [String: JournalEntry], pipeline: [String]) throws {
        var entries: [Entry] = []
        entries.reserveCapacity(manifest.items.count)
        for item in manifest.items {
            let fingerprint = ItemFingerprint(of: item)
            entries.append(try Self.plan(item, fingerprint: fingerprint, journal[item.id], pipeline: pipeline))
        }
        let ids = Set(manifest.items.map(\.id))
        self.entries = entries
        self.orphaned = journal.values.filter { !ids.contains($0.itemID) }.sorted { $0.itemID < $1.itemID }
    }

    static func plan(
        _ item: IngestItem, fingerprint: ItemFingerprint, _ entry: JournalEntry?, pipeline: [String]
    ) throws -> Entry {
        guard let entry else {
            return Entry(item: item, action: .create, state: ItemState(itemID: item.id), fingerprint: fingerprint)
        }
        let fileChanged = entry.fingerprint.file != fingerprint.file
        let metadataChanged = entry.fingerprint.metadata != fingerprint.metadata
        if !fileChanged, !metadataChanged, entry.status == .ingested {
            // The common case of a re-run: no state to read.
            var known = ItemState(itemID: item.id)
            known.mediaKey = entry.mediaKey
            return Entry(item: item, action: .unchanged, state: known, fingerprint: fingerprint)
        }
        var state = try entry.state()
        if !fileChanged, !metadataChanged {
            let next = pipeline.first { !state.completedStages.contains($0) } ?? pipeline.last ?? "validate"
            return Entry(item: item, action: .resume(stage: next), state: state, fingerprint: fingerprint)
        }
        guard state.mediaKey != nil else {
            // Never created: start again, keeping only what a lost create answer needs.
            var fresh = ItemState(itemID: item.id)
            fresh.createPending = state.createPending
            return Entry(item: item, action: .create, state: fresh, fingerprint: fingerprint)
        }
        // Changed after (or while) it was ingested: every stage runs again over the same asset.
        let previous = state.pendingUpdate
        state.pendingUpdate = ItemState.PendingUpdate(
            metadata: metadataChanged || (previous?.metadata ?? false), file: fileChanged || (previous?.file ?? false))
        state.completedStages = []
        if fileChanged {
            state.fileSize = nil
            state.fileModified = nil
            state.duration = nil
        }
        if metadataChanged { state.thumbnailDone = false }
        return Entry(
            item: item, action: .update(file: fileChanged, metadata: metadataChanged), state: state,
            fingerprint: fingerprint)
    }
}
