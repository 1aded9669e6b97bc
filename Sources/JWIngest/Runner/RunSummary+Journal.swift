import Foundation

extension RunSummary {
    /// The whole run of `manifest` as its journal records it, whichever process (or worker) ran each item:
    /// for `jwingest report`, after a run of many workers whose own reports each cover their part.
    ///
    /// An ingested item is `ingested` with its asset; a failed one `failed` with its last error; an item
    /// started and not finished, or never started, `interrupted`. Each item's ``ItemResult/finishedAt`` is
    /// its entry's last update (``JournalEntry/updatedAt``); an item the journal does not know gets the run's
    /// start, the earliest update.
    ///
    /// - Parameters:
    ///   - manifest: The manifest of the run.
    ///   - entries: The journal's entries (``IngestJournaling/entries()``).
    ///   - endpoint: Where the run went, as shown.
    public init(journalOf manifest: Manifest, entries: [String: JournalEntry], endpoint: String) {
        let times = entries.values.map(\.updatedAt)
        let started = times.min() ?? Date()
        let results = manifest.items.map { item -> ItemResult in
            guard let entry = entries[item.id] else {
                return ItemResult(
                    item: item, outcome: .interrupted(lastStage: nil), state: ItemState(itemID: item.id),
                    stageTimes: [], seconds: 0, finishedAt: started)
            }
            let state = (try? entry.state()) ?? ItemState(itemID: item.id)
            let outcome: ItemOutcome
            switch entry.status {
            case .ingested: outcome = .ingested(key: entry.mediaKey)
            case .failed:
                outcome = .failed(Self.recordedError(entry.lastError ?? "failed", item: item.id, state: state))
            default: outcome = .interrupted(lastStage: state.completedStages.last)
            }
            return ItemResult(
                item: item, outcome: outcome, state: state, stageTimes: [], seconds: 0, finishedAt: entry.updatedAt)
        }
        self.init(
            manifest: manifest.source, endpoint: endpoint, started: started,
            seconds: (times.max() ?? started).timeIntervalSince(started), results: results, stop: nil)
    }

    /// An error as the journal recorded it (`item 'ID', stage STAGE: MESSAGE`), back as a value.
    static func recordedError(_ text: String, item: String, state: ItemState) -> IngestError {
        let prefix = "item '\(item)', stage "
        if text.hasPrefix(prefix), let colon = text.dropFirst(prefix.count).firstIndex(of: ":") {
            let stage = String(text[text.index(text.startIndex, offsetBy: prefix.count)..<colon])
            let message = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return IngestError(itemID: item, stage: stage, message: message)
        }
        return IngestError(itemID: item, stage: state.completedStages.last ?? "-", message: text)
    }
}
