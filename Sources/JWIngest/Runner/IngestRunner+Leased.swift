import Foundation

extension IngestRunner {
    /// Runs the items a shared journal leases to this worker, as it has room for them, until nothing is
    /// left to lease and no other live worker holds any (or, with ``Policy-swift.struct/waitForOtherWorkers``
    /// off, until nothing is left to lease). Leases are renewed every heartbeat; each item's lease is given
    /// back once its state is recorded. The results cover the items this worker ran.
    ///
    /// - Parameter plan: The plan from the journal's entries at the start, with the remote check's
    ///   adoptions, which leased items use when the journal still does not know their asset.
    func runLeased(
        _ plan: IngestPlan, from shared: any SharedIngestJournaling, refused: [String: IngestError],
        control: RunControl, sink: @escaping @Sendable (IngestEvent.Kind) -> Void
    ) async -> [ItemResult] {
        var gates: [String: StageGate] = [:]
        for (name, limit) in manifest.options.stageLimits { gates[name] = StageGate(limit: limit) }
        let sharedGates = gates
        let limit = max(1, manifest.options.concurrency)
        let adopted = Dictionary(
            plan.entries.filter { $0.adopted != nil }.map { ($0.item.id, $0) }, uniquingKeysWith: { first, _ in first })
        let items = Dictionary(manifest.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let order = Dictionary(manifest.items.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let pipeline = manifest.pipeline.map(\.name)
        let heartbeat = shared.heartbeat
        let beat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeat)
                try? await shared.renewLeases()
            }
        }
        defer { beat.cancel() }
        var results: [ItemResult] = []
        await withTaskGroup(of: ItemResult.self) { group in
            var running = 0
            while !control.isStopped, !Task.isCancelled {
                let leased: [LeasedItem]
                do {
                    leased = try await shared.lease(upTo: limit - running)
                } catch {
                    // The database is away: claim nothing, let running items go on, and try again later.
                    if running > 0, let result = await group.next() {
                        results.append(result)
                        running -= 1
                    } else {
                        try? await Task.sleep(for: heartbeat)
                    }
                    continue
                }
                for lease in leased {
                    guard let item = items[lease.itemID] else {
                        // An item of another version of the manifest: not this worker's to run.
                        try? await shared.release(lease.itemID)
                        continue
                    }
                    var entry: IngestPlan.Entry
                    do {
                        entry = try IngestPlan.plan(
                            item, fingerprint: ItemFingerprint(of: item), lease.entry, pipeline: pipeline)
                    } catch {
                        let failure = IngestError(
                            itemID: item.id, stage: "journal", message: "\(error)", code: .journal)
                        sink(.itemFinished(item: item.id, outcome: .failed(failure)))
                        results.append(
                            ItemResult(
                                item: item, outcome: .failed(failure), state: ItemState(itemID: item.id),
                                stageTimes: [], seconds: 0))
                        try? await shared.release(item.id)
                        continue
                    }
                    if entry.state.mediaKey == nil, let found = adopted[item.id] { entry = found }
                    if let error = refused[item.id], entry.state.mediaKey == nil {
                        sink(.itemFinished(item: item.id, outcome: .failed(error)))
                        results.append(
                            ItemResult(
                                item: item, outcome: .failed(error), state: entry.state, stageTimes: [], seconds: 0))
                        try? await shared.release(item.id)
                        continue
                    }
                    if entry.action == .unchanged {
                        try? await shared.record(entry.state, status: .ingested, fingerprint: entry.fingerprint)
                        let outcome = ItemOutcome.unchanged(key: entry.state.mediaKey)
                        sink(.itemFinished(item: item.id, outcome: outcome))
                        results.append(
                            ItemResult(item: item, outcome: outcome, state: entry.state, stageTimes: [], seconds: 0))
                        try? await shared.release(item.id)
                        continue
                    }
                    let ready = entry
                    group.addTask {
                        let result = await runItem(ready, gates: sharedGates, control: control, sink: sink)
                        try? await shared.release(ready.item.id)
                        return result
                    }
                    running += 1
                }
                if running == limit || (leased.isEmpty && running > 0) {
                    if let result = await group.next() {
                        results.append(result)
                        running -= 1
                    }
                    continue
                }
                guard leased.isEmpty else { continue }
                // Nothing to lease and nothing running here: wait for the items other workers hold (they
                // come back here if their worker dies), or end.
                let othersWork = (try? await shared.othersHoldLeases()) ?? true
                guard othersWork, policy.waitForOtherWorkers else { break }
                try? await Task.sleep(for: min(heartbeat, .seconds(2)))
            }
            for await result in group { results.append(result) }
        }
        return results.sorted { (order[$0.item.id] ?? 0) < (order[$1.item.id] ?? 0) }
    }
}
