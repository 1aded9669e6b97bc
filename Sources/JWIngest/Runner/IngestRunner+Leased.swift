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
        // Items whose lease could not be given back yet (the database was away), and since when it is away.
        var unreleased: Set<String> = []
        var unreachableSince: ContinuousClock.Instant?
        // With `onlyLocalFiles`, the items whose file this machine does not see: given back, never leased again.
        var passedOn: Set<String> = []
        /// Takes a finished item's result and gives its lease back. An item abandoned because its checkpoint
        /// could not be written (the database is away, or its lease went to another worker) is not this
        /// worker's result: it stays in the journal as it was, to be leased again and resumed.
        func settle(_ result: ItemResult) async {
            if case .failed(let error) = result.outcome, error.code == .journal {
                sink(.itemAbandoned(item: result.item.id, reason: error.message))
            } else {
                results.append(result)
            }
            do {
                try await shared.release(result.item.id)
            } catch {
                unreleased.insert(result.item.id)
            }
        }
        await withTaskGroup(of: ItemResult.self) { group in
            var running = 0
            while !control.isStopped, !Task.isCancelled {
                let leased: [LeasedItem]
                do {
                    for id in unreleased {
                        try await shared.release(id)
                        unreleased.remove(id)
                    }
                    leased = try await shared.lease(upTo: limit - running, excluding: passedOn)
                    unreachableSince = nil
                } catch {
                    // The database is away: claim nothing, let running items go on (a checkpoint that cannot
                    // be written abandons its item), and try again, for as long as the journal allows.
                    let since = unreachableSince ?? .now
                    unreachableSince = since
                    if running == 0, ContinuousClock.now - since > shared.outageLimit { break }
                    if running > 0, let result = await group.next() {
                        await settle(result)
                        running -= 1
                    } else {
                        try? await Task.sleep(for: min(heartbeat, .seconds(2)))
                    }
                    continue
                }
                for lease in leased {
                    guard let item = items[lease.itemID] else {
                        // An item of another version of the manifest: not this worker's to run.
                        try? await shared.release(lease.itemID)
                        continue
                    }
                    if policy.onlyLocalFiles, !item.isPresentHere {
                        passedOn.insert(item.id)
                        sink(
                            .itemAbandoned(
                                item: item.id, reason: "its file is not on this machine: left for a worker that has it")
                        )
                        do { try await shared.release(item.id) } catch { unreleased.insert(item.id) }
                        continue
                    }
                    var entry: IngestPlan.Entry
                    do {
                        entry = try IngestPlan.plan(
                            item, fingerprint: ItemFingerprint(of: item), lease.entry, pipeline: pipeline)
                    } catch {
                        let failure = IngestError(
                            itemID: item.id, stage: "plan", message: "\(error)", code: .stageFailed)
                        sink(.itemFinished(item: item.id, outcome: .failed(failure)))
                        await settle(
                            ItemResult(
                                item: item, outcome: .failed(failure), state: ItemState(itemID: item.id),
                                stageTimes: [], seconds: 0))
                        continue
                    }
                    if entry.state.mediaKey == nil, let found = adopted[item.id] { entry = found }
                    if let error = refused[item.id], entry.state.mediaKey == nil {
                        sink(.itemFinished(item: item.id, outcome: .failed(error)))
                        await settle(
                            ItemResult(
                                item: item, outcome: .failed(error), state: entry.state, stageTimes: [], seconds: 0))
                        continue
                    }
                    if entry.action == .unchanged {
                        try? await shared.record(entry.state, status: .ingested, fingerprint: entry.fingerprint)
                        let outcome = ItemOutcome.unchanged(key: entry.state.mediaKey)
                        sink(.itemFinished(item: item.id, outcome: outcome))
                        await settle(
                            ItemResult(item: item, outcome: outcome, state: entry.state, stageTimes: [], seconds: 0))
                        continue
                    }
                    let ready = entry
                    group.addTask { await runItem(ready, gates: sharedGates, control: control, sink: sink) }
                    running += 1
                }
                if running == limit || (leased.isEmpty && running > 0) {
                    if let result = await group.next() {
                        await settle(result)
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
            for await result in group { await settle(result) }
        }
        return results.sorted { (order[$0.item.id] ?? 0) < (order[$1.item.id] ?? 0) }
    }
}
