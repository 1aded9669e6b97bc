import Foundation
import JWPlatform
import ServiceLifecycle

/// Runs a manifest's items through its pipeline: up to `concurrency` items at a time, each stage capped
/// by `stage_limits`, every event sent to the observers in order, and, with a journal, every item's
/// state written after each stage so that a later run skips what is done and resumes the rest.
///
/// Inside a `ServiceGroup` (as `jwingest run` does), SIGINT and SIGTERM stop it gracefully: no item is
/// started any more, running items stop after the stage they are in (a checkpoint), and the summary
/// counts the rest as interrupted. ``stop()`` does the same from code.
///
/// ```swift
/// var registry = StageRegistry.standard
/// registry.register(RequireTitle())
/// let runner = try IngestRunner(manifest: manifest, client: client, registry: registry)
/// let summary = await runner.run(observers: [PlainProgress()])
/// ```
public struct IngestRunner: Sendable {
    /// The manifest.
    public let manifest: Manifest
    /// The client every stage uses.
    public let client: APIClient
    /// The stages, resolved from the manifest's pipeline.
    public let stages: [any Stage]
    /// Where item states are kept between runs; `nil` for none.
    public let journal: (any IngestJournaling)?
    /// What the run asks the platform first and when it stops itself.
    public let policy: Policy
    private let signal = StopSignal()

    /// What a run asks the platform before it creates anything, and when it stops itself.
    public struct Policy: Sendable, Hashable {
        /// Whether the videos whose asset the journal does not know are looked for on the platform (one
        /// paged sweep by `custom.ingest_id`) before the first create, and adopted when found. On by
        /// default; off only for an account known to be empty (a fresh sandbox).
        public var remoteCheck: Bool
        /// Stop starting items once this many have failed; `nil` for no limit.
        public var maxFailures: Int?

        /// Creates a policy: remote check on, no failure limit.
        public init(remoteCheck: Bool = true, maxFailures: Int? = nil) {
            self.remoteCheck = remoteCheck
            self.maxFailures = maxFailures
        }
    }

    /// Resolves the manifest's pipeline against `registry`.
    ///
    /// - Parameters:
    ///   - journal: Where to keep item states; with one, a re-run skips finished items and resumes others.
    ///   - policy: The remote check before creates, and the failure limit.
    /// - Throws: ``ManifestError`` for an unknown stage or bad stage options.
    public init(
        manifest: Manifest, client: APIClient, registry: StageRegistry = .standard,
        journal: (any IngestJournaling)? = nil,
        policy: Policy = Policy()
    ) throws {
        self.manifest = manifest
        self.client = client
        self.stages = try registry.resolve(manifest.pipeline, options: manifest.options)
        self.journal = journal
        self.policy = policy
    }

    /// Stops the run: no more items start; running items stop at their next checkpoint.
    public func stop() { signal.stop() }

    /// What a run would do with each item, from the journal (every item a create without one).
    ///
    /// - Throws: ``JournalError`` when the journal cannot be read.
    public func plan() async throws -> IngestPlan {
        try IngestPlan(
            manifest: manifest, journal: try await journal?.entries() ?? [:], pipeline: manifest.pipeline.map(\.name))
    }

    /// Runs every item and returns the summary; never throws: failures are in the results.
    ///
    /// - Parameters:
    ///   - observers: Receive every event, in order.
    ///   - endpoint: The endpoint to name in the `runStarted` event.
    public func run(observers: [any IngestObserver] = [], endpoint: String? = nil) async -> RunSummary {
        let (events, continuation) = AsyncStream.makeStream(of: IngestEvent.self)
        let delivery = Task {
            for await event in events {
                for observer in observers { await observer.observe(event) }
            }
        }
        let sink: @Sendable (IngestEvent.Kind) -> Void = { continuation.yield(IngestEvent($0)) }
        let started = Date()
        let clock = ContinuousClock.now
        let shownEndpoint = Redaction.redact(url: endpoint ?? client.configuration.endpoint)
        sink(.runStarted(items: manifest.items.count, endpoint: shownEndpoint))
        let signal = self.signal
        let control = RunControl(signal: signal, maxFailures: policy.maxFailures)
        let results: [ItemResult]
        do {
            let plan = try await self.plan()
            results = await withGracefulShutdownHandler {
                var checked = plan
                let refused = await checkRemote(&checked, control: control, sink: sink)
                return await runItems(checked, refused: refused, control: control, sink: sink)
            } onGracefulShutdown: {
                signal.stop()
            }
        } catch {
            results = manifest.items.map { item in
                let failure = IngestError(itemID: item.id, stage: "journal", message: "\(error)")
                sink(.itemFinished(item: item.id, outcome: .failed(failure)))
                return ItemResult(
                    item: item, outcome: .failed(failure), state: ItemState(itemID: item.id), stageTimes: [], seconds: 0
                )
            }
        }
        let summary = RunSummary(
            manifest: manifest.source, endpoint: shownEndpoint, started: started,
            seconds: Self.seconds(ContinuousClock.now - clock), results: results, stop: control.stop)
        sink(
            .runFinished(
                ingested: summary.ingested, unchanged: summary.unchanged, failed: summary.failed,
                interrupted: summary.interrupted, seconds: summary.seconds))
        continuation.finish()
        await delivery.value
        return summary
    }

    /// Before the first create: asks the platform which of the videos the journal does not know exist
    /// (one paged sweep) and plans those found as adopted. Returns the items that must not start because
    /// the platform could not be asked (creating them blindly could double them).
    private func checkRemote(
        _ plan: inout IngestPlan, control: RunControl, sink: @Sendable (IngestEvent.Kind) -> Void
    ) async -> [String: IngestError] {
        let ids = plan.idsToLookUp
        guard policy.remoteCheck, !ids.isEmpty else { return [:] }
        var sweeper = client
        sweeper.configuration.retry = RetryPolicy(maxAttempts: manifest.options.retries + 1)
        do {
            let index = try await RemoteIngestIndex.sweep(sweeper, ids: ids, isStopping: { control.isStopped })
                .excluding(try await journal?.mediaKeysOfOtherManifests() ?? [])
            plan.adopt(index, pipeline: manifest.pipeline.map(\.name))
            sink(.remoteChecked(items: ids.count, found: index.videos.count, pages: index.pages))
            return [:]
        } catch {
            // Stopped meanwhile: no item starts anyway.
            if control.isStopped { return [:] }
            if let stop = RunStop.refusingAccount(error) {
                // The account is refused: no item starts, none is reported as its own failure.
                control.stop(stop)
                return [:]
            }
            let message =
                "could not ask the platform whether the item exists there already (\(Redaction.redact(bodyText: "\(error)")))"
                + "; nothing was created. Run again, or pass --no-remote-check if the account holds none of the items"
            return Dictionary(
                uniqueKeysWithValues: ids.map {
                    ($0, IngestError(itemID: $0, stage: "remote-check", message: message, isRetryable: true))
                })
        }
    }

    private func runItems(
        _ plan: IngestPlan, refused: [String: IngestError], control: RunControl,
        sink: @escaping @Sendable (IngestEvent.Kind) -> Void
    ) async -> [ItemResult] {
        var gates: [String: StageGate] = [:]
        for (name, limit) in manifest.options.stageLimits { gates[name] = StageGate(limit: limit) }
        let sharedGates = gates
        let limit = max(1, manifest.options.concurrency)
        var results: [Int: ItemResult] = [:]
        await withTaskGroup(of: (Int, ItemResult).self) { group in
            var running = 0
            for (index, entry) in plan.entries.enumerated() {
                if entry.action == .unchanged {
                    if entry.adopted != nil {
                        // Found on the platform: the journal knows it from now on.
                        try? await journal?.record(entry.state, status: .ingested, fingerprint: entry.fingerprint)
                    }
                    let outcome = ItemOutcome.unchanged(key: entry.state.mediaKey)
                    sink(.itemFinished(item: entry.item.id, outcome: outcome))
                    results[index] = ItemResult(
                        item: entry.item, outcome: outcome, state: entry.state, stageTimes: [], seconds: 0)
                    continue
                }
                if let error = refused[entry.item.id] {
                    sink(.itemFinished(item: entry.item.id, outcome: .failed(error)))
                    results[index] = ItemResult(
                        item: entry.item, outcome: .failed(error), state: entry.state, stageTimes: [], seconds: 0)
                    continue
                }
                // Once stopped, no item starts; the loop goes on to report the unchanged and refused ones.
                guard !control.isStopped, !Task.isCancelled else { continue }
                if running == limit, let (finished, result) = await group.next() {
                    results[finished] = result
                    running -= 1
                }
                guard !control.isStopped, !Task.isCancelled else { continue }
                group.addTask { (index, await runItem(entry, gates: sharedGates, control: control, sink: sink)) }
                running += 1
            }
            for await (finished, result) in group { results[finished] = result }
        }
        return plan.entries.enumerated().map { index, entry in
            if let result = results[index] { return result }
            // Never started: it is reported like the others, so every output accounts for every item.
            let outcome = ItemOutcome.interrupted(lastStage: entry.state.completedStages.last)
            sink(.itemFinished(item: entry.item.id, outcome: outcome))
            return ItemResult(item: entry.item, outcome: outcome, state: entry.state, stageTimes: [], seconds: 0)
        }
    }

    private func runItem(
        _ entry: IngestPlan.Entry, gates: [String: StageGate], control: RunControl,
        sink: @escaping @Sendable (IngestEvent.Kind) -> Void
    ) async -> ItemResult {
        let item = entry.item
        let itemStart = ContinuousClock.now
        var state = entry.state
        var times: [ItemResult.StageTime] = []
        let journal = self.journal
        let fingerprint = entry.fingerprint
        sink(.itemStarted(item: item.id))
        func finish(_ outcome: ItemOutcome) -> ItemResult {
            sink(.itemFinished(item: item.id, outcome: outcome))
            return ItemResult(
                item: item, outcome: outcome, state: state, stageTimes: times,
                seconds: Self.seconds(ContinuousClock.now - itemStart))
        }
        func failed(_ error: IngestError) async -> ItemResult {
            // Recorded so that `status` can show it and a later run tries again from the last checkpoint.
            try? await journal?.record(state, status: .failed, fingerprint: fingerprint, error: error.description)
            control.countFailure()
            return finish(.failed(error))
        }
        let resuming = entry.action != .create
        let names = manifest.pipeline.map(\.name)
        var index = 0
        var resends = 0
        while index < stages.count {
            let (stage, step) = (stages[index], manifest.pipeline[index])
            if resuming, state.completedStages.contains(step.name) {
                index += 1
                continue
            }
            if control.isStopped || Task.isCancelled {
                return finish(.interrupted(lastStage: state.completedStages.last))
            }
            let gate = gates[step.name]
            await gate?.acquire()
            // The wait for a capped stage may be long: a stop that came meanwhile is honoured first.
            if control.isStopped || Task.isCancelled {
                await gate?.release()
                return finish(.interrupted(lastStage: state.completedStages.last))
            }
            sink(.stageStarted(item: item.id, stage: step.name))
            let stageStart = ContinuousClock.now
            let context = StageContext(
                item: item, client: client, options: manifest.options, step: step, sink: sink,
                isStopping: { control.isStopped },
                checkpoint: { state in try await journal?.record(state, status: .running, fingerprint: fingerprint) })
            let outcome: StageOutcome
            do {
                let current = IngestTaskContext.Current(item: item.id, stage: step.name, sink: sink)
                outcome = try await IngestTaskContext.$current.withValue(current) {
                    try await stage.run(&state, context)
                }
            } catch is IngestInterruption {
                await gate?.release()
                try? await journal?.record(state, status: .running, fingerprint: fingerprint)
                return finish(.interrupted(lastStage: state.completedStages.last))
            } catch {
                await gate?.release()
                // Every other item would be refused the same way: none starts any more.
                if let stop = RunStop.refusingAccount(error) { control.stop(stop) }
                return await failed(Self.ingestError(error, item: item.id, stage: step.name))
            }
            let seconds = Self.seconds(ContinuousClock.now - stageStart)
            times.append(ItemResult.StageTime(stage: step.name, seconds: seconds))
            var next = index + 1
            switch outcome.kind {
            case .done:
                if !state.completedStages.contains(step.name) { state.completedStages.append(step.name) }
            case .retryLater(let reason):
                await gate?.release()
                return await failed(reason)
            case .resend(let from, let failure):
                // Back to an earlier stage, which runs again under its own cap and with its events.
                guard let target = names.firstIndex(of: from), target <= index, resends < manifest.options.retries
                else {
                    await gate?.release()
                    return await failed(failure)
                }
                resends += 1
                let again = Set(names[target...])
                state.completedStages.removeAll { again.contains($0) }
                next = target
                sink(
                    .retry(
                        item: item.id, stage: step.name, attempt: resends + 1, delay: 0,
                        reason: "\(failure.message)\(PlainProgress.comparison(failure)); \(from) again"))
            }
            let isLast = next == stages.count
            do {
                // The checkpoint is written before the next stage makes its first call.
                try await journal?.record(state, status: isLast ? .ingested : .running, fingerprint: fingerprint)
            } catch {
                await gate?.release()
                control.countFailure()
                return finish(.failed(Self.ingestError(error, item: item.id, stage: step.name)))
            }
            // Reported before the cap is released, so the events never show more in a stage than allowed.
            sink(.stageFinished(item: item.id, stage: step.name, seconds: seconds))
            await gate?.release()
            index = next
        }
        if resuming, stages.isEmpty == false, state.completedStages.count >= stages.count {
            try? await journal?.record(state, status: .ingested, fingerprint: fingerprint)
        }
        return finish(.ingested(key: state.mediaKey))
    }

    static func ingestError(_ error: any Error, item: String, stage: String) -> IngestError {
        if let ingestError = error as? IngestError { return ingestError }
        let retryable = (error as? any RetryableError)?.isRetryable ?? false
        return IngestError(
            itemID: item, stage: stage, message: Redaction.redact(bodyText: String(describing: error)),
            isRetryable: retryable)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
