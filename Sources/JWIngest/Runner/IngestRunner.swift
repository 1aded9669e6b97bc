import Foundation
import JWPlatform
import ServiceLifecycle
import Synchronization

/// Runs a manifest's items through its pipeline: up to `concurrency` items at a time, each stage capped
/// by `stage_limits`, every event sent to the observers in order, and, with a journal, every item's
/// state written after each stage so that a later run skips what is done and resumes the rest.
///
/// The safe way in is a ``Configuration``: from it the runner builds its client (the stages retry; the
/// client does not, so retries never multiply), paces calls by the platform's rate limits, and opens the
/// journal of the manifest, the account and the endpoint, which it holds for the run:
///
/// ```swift
/// var configuration = IngestRunner.Configuration()   // JW_API_KEY/JW_API_SECRET, journal beside the manifest
/// configuration.observers = [PlainProgress()]
/// let runner = try IngestRunner(manifest: manifest, configuration: configuration)
/// let summary = try await runner.ingest()
/// ```
///
/// It is a `Service`: in a `ServiceGroup`, SIGINT and SIGTERM stop it gracefully (no item is started any
/// more, running items stop after the stage they are in), and ``lastSummary`` holds the result.
/// ``stop()`` does the same from code.
public struct IngestRunner: Sendable {
    /// The manifest, with the configuration's overrides applied.
    public let manifest: Manifest
    /// The client every stage uses.
    public let client: APIClient
    /// The v2 client of a run that speaks v2 (`options.api: v2`): the built-in stages call it instead of
    /// ``client``, and the remote check sweeps its media.
    public let v2Client: V2Client?
    /// The stages, resolved from the manifest's pipeline.
    public let stages: [any Stage]
    /// Where item states are kept between runs; `nil` for none.
    public let journal: (any IngestJournaling)?
    /// What the run asks the platform first and when it stops itself.
    public let policy: Policy
    /// The observers of a run started as a service, or by ``ingest(observers:endpoint:)`` without any.
    public var observers: [any IngestObserver] = []
    /// The backoff of every stage's retries; `nil` for the default (0.5 s doubling, up to 30 s).
    public var retryPolicy: RetryPolicy?
    /// The bandwidth limit on reading the files to send (`--bwlimit`), for the process while the run
    /// lasts (see `TransferBandwidth` in JWPlatform); `nil` for none.
    public var bandwidth: BandwidthSchedule?
    private let signal = StopSignal()
    private let outcome = SummaryBox()

    /// What a run asks the platform before it creates anything, and when it stops itself.
    public struct Policy: Sendable, Hashable {
        /// Whether the videos whose asset the journal does not know are looked for on the platform (one
        /// paged sweep by `custom.ingest_id`) before the first create, and adopted when found. On by
        /// default; off only for an account known to be empty (a fresh sandbox).
        public var remoteCheck: Bool
        /// Stop starting items once this many have failed; `nil` for no limit.
        public var maxFailures: Int?
        /// With a shared journal, whether a worker that finds nothing to lease while other workers hold
        /// items waits for them (their items come back if they die), rather than ending at once.
        public var waitForOtherWorkers: Bool
        /// With a shared journal, whether a worker gives back the items whose file it does not see (for a
        /// worker that has them) instead of failing them.
        public var onlyLocalFiles: Bool
        /// Forget, once the journal is held, the creates whose answers were lost (see
        /// ``IngestJournaling/forgetPendingCreates()``): for after the user checked the account.
        public var forgetPendingCreates: Bool

        /// Creates a policy: remote check on, no failure limit.
        public init(
            remoteCheck: Bool = true, maxFailures: Int? = nil, forgetPendingCreates: Bool = false,
            waitForOtherWorkers: Bool = true, onlyLocalFiles: Bool = false
        ) {
            self.onlyLocalFiles = onlyLocalFiles
            self.remoteCheck = remoteCheck
            self.maxFailures = maxFailures
            self.forgetPendingCreates = forgetPendingCreates
            self.waitForOtherWorkers = waitForOtherWorkers
        }
    }

    /// A runner from its parts, for tests and custom set-ups: the client is used as it is (give it no
    /// retry policy of its own: the stages retry), the journal is neither opened nor held here.
    ///
    /// - Parameters:
    ///   - manifest: The manifest.
    ///   - client: The client every stage uses.
    ///   - registry: The stages the pipeline may name.
    ///   - journal: Where to keep item states; with one, a re-run skips finished items and resumes others.
    ///   - policy: The remote check before creates, and the failure limit.
    ///   - v2Client: The v2 client, for a manifest whose `options.api` is `v2` (required then).
    /// - Throws: ``ManifestError`` for an unknown stage or bad stage options, or a v2 manifest without a
    ///   v2 client.
    public init(
        manifest: Manifest, client: APIClient, registry: StageRegistry = .standard,
        journal: (any IngestJournaling)? = nil,
        policy: Policy = Policy(), v2Client: V2Client? = nil
    ) throws {
        if manifest.options.api == .v2, v2Client == nil {
            throw ManifestError(problems: [
                ManifestProblem(
                    "the manifest asks for api v2, and the runner was given no v2 client",
                    at: SourcePosition(file: manifest.source.lastPathComponent))
            ])
        }
        self.manifest = manifest
        self.client = client
        self.v2Client = manifest.options.api == .v2 ? v2Client : nil
        self.stages = try registry.resolve(manifest.pipeline, options: manifest.options)
        self.journal = journal
        self.policy = policy
    }

    /// A runner as ``Configuration`` says: the manifest with its overrides, credentials resolved, a client
    /// that does not retry by itself and paces by the rate limits, the journal opened and keyed by the
    /// manifest's path, the account and the endpoint.
    ///
    /// - Parameters:
    ///   - manifest: The manifest, before the configuration's overrides.
    ///   - configuration: How the run reaches the platform, keeps its journal and reports.
    /// - Throws: ``ManifestError`` for overrides or a pipeline that do not hold, `CredentialsError`
    ///   when no credentials are found, `EndpointError` for an endpoint the client refuses,
    ///   ``JournalError`` when the journal cannot be opened.
    public init(manifest: Manifest, configuration: Configuration = Configuration()) throws {
        var adjusted = manifest
        try configuration.manifestOverrides.apply(to: &adjusted)
        let connection = try RunConnection(configuration, api: adjusted.options.api, format: adjusted.options.apiFormat)
        try self.init(
            manifest: adjusted, client: connection.client, registry: configuration.registry,
            journal: try configuration.journal.open(
                manifest: adjusted.source, account: connection.account, endpoint: connection.endpoint),
            policy: Policy(
                remoteCheck: configuration.remoteCheck, maxFailures: configuration.maxFailures,
                forgetPendingCreates: configuration.forgetPendingCreates,
                waitForOtherWorkers: configuration.waitForOtherWorkers, onlyLocalFiles: configuration.onlyLocalFiles),
            v2Client: connection.v2Client)
        observers = configuration.observers
        retryPolicy = configuration.retryPolicy
        bandwidth = configuration.bandwidth
    }

    /// The summary of the last run started as a service (``run()``), once it ended.
    public var lastSummary: RunSummary? { outcome.value }

    /// Stops the run: no more items start; running items stop at their next checkpoint.
    public func stop() { signal.stop() }

    /// What a run would do with each item, from the journal (every item a create without one).
    ///
    /// - Throws: ``JournalError`` when the journal cannot be read.
    public func plan() async throws -> IngestPlan {
        try IngestPlan(
            manifest: manifest, journal: try await journal?.entries() ?? [:], pipeline: manifest.pipeline.map(\.name))
    }

    /// Holds the journal for the run (see ``IngestJournaling/claim()``), runs every item, and returns the
    /// summary. Failures of items are in the summary, not thrown.
    ///
    /// - Parameters:
    ///   - observers: Receive every event, in order (``observers`` when `nil`).
    ///   - endpoint: The endpoint to name in the `runStarted` event (the client's when `nil`).
    /// - Throws: ``JournalLockedError`` when another run holds the journal; an error of the journal when
    ///   it cannot be claimed.
    public func ingest(observers: [any IngestObserver]? = nil, endpoint: String? = nil) async throws -> RunSummary {
        let claim = try await journal?.claim()
        if policy.forgetPendingCreates { _ = try await journal?.forgetPendingCreates() }
        if let bandwidth { TransferBandwidth.shared.set(bandwidth) }
        let summary = await execute(observers: observers ?? self.observers, endpoint: endpoint)
        if bandwidth != nil { TransferBandwidth.shared.set(nil) }
        await claim?.release()
        return summary
    }

    /// Runs every item and returns the summary, the journal claimed by the caller.
    private func execute(observers: [any IngestObserver], endpoint: String?) async -> RunSummary {
        let events = EventBatches()
        let observed = observers.map { ($0, $0.observedKinds) }
        let delivery = Self.deliver(events, to: observed)
        // An event no observer reads is not built: a small item raises about a dozen and plain progress reads
        // one of them (issue 14).
        let wanted = observed.reduce(into: IngestEvent.Kinds()) { $0.formUnion($1.1) }
        let sink: @Sendable (IngestEvent.Kind) -> Void = { kind in
            if wanted.contains(kind.kinds) { events.add(IngestEvent(kind)) }
        }
        let started = Date()
        let clock = ContinuousClock.now
        let shownEndpoint = Redaction.redact(
            url: endpoint ?? v2Client?.configuration.endpoint ?? client.configuration.endpoint)
        sink(.runStarted(items: manifest.items.count, endpoint: shownEndpoint))
        let signal = self.signal
        let control = RunControl(signal: signal, maxFailures: policy.maxFailures)
        let budget = manifest.options.maxDuration.map { seconds in
            Task {
                try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                control.stop(RunStop.budget(seconds: seconds))
            }
        }
        defer { budget?.cancel() }
        let results: [ItemResult]
        do {
            let plan = try await self.plan()
            results = await withGracefulShutdownHandler {
                var checked = plan
                let refused = await checkRemote(&checked, control: control, sink: sink)
                if let shared = journal as? any SharedIngestJournaling {
                    return await runLeased(checked, from: shared, refused: refused, control: control, sink: sink)
                }
                return await runItems(checked, refused: refused, control: control, sink: sink)
            } onGracefulShutdown: {
                signal.stop()
            }
        } catch {
            results = manifest.items.map { item in
                let failure = IngestError(itemID: item.id, stage: "journal", message: "\(error)", code: .journal)
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
        events.finish()
        await delivery?.value
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
        let retry = RetryPolicy(maxAttempts: manifest.options.retries + 1)
        do {
            let found: RemoteIngestIndex
            if var v2 = v2Client {
                v2.configuration.retry = retry
                found = try await RemoteIngestIndex.sweep(v2, ids: ids, isStopping: { control.isStopped })
            } else {
                var sweeper = client
                sweeper.configuration.retry = retry
                found = try await RemoteIngestIndex.sweep(sweeper, ids: ids, isStopping: { control.isStopped })
            }
            let index = found.excluding(try await journal?.mediaKeysOfOtherManifests() ?? [])
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
                    (
                        $0,
                        IngestError(
                            itemID: $0, stage: "remote-check", message: message, isRetryable: true,
                            code: .remoteCheckFailed)
                    )
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
        let entries = plan.entries
        // `limit` workers take the items in the manifest's order, each running its items one after the
        // other: a task per item cost two thread wake-ups more per item (the group's parent woken by each
        // finished item to start the next), about 3 % of a small item's time at concurrency 1 (issue 14).
        let taken = TakeCounter()
        let placement = ItemPlacement(
            stages: stages,
            clientsOnLoop: JWPlatformHTTPClient.runsOnTaskExecutorLoop(client.httpClient)
                && (v2Client.map { JWPlatformHTTPClient.runsOnTaskExecutorLoop($0.httpClient) } ?? true))
        var results: [Int: ItemResult] = [:]
        await withTaskGroup(of: [(Int, ItemResult)].self) { group in
            for _ in 0..<min(limit, entries.count) {
                group.addTask(executorPreference: placement.workerExecutor) {
                    var done: [(Int, ItemResult)] = []
                    while true {
                        let index = taken.next()
                        guard index < entries.count else { return done }
                        let entry = entries[index]
                        if let result = await settled(entry, refusal: refused[entry.item.id], sink: sink) {
                            done.append((index, result))
                            continue
                        }
                        // Once stopped, no item starts; the workers go on to report the unchanged and refused
                        // ones (the others are reported as never started below).
                        guard !control.isStopped, !Task.isCancelled else { continue }
                        let result = await placement.run(entry.item) {
                            await runItem(entry, gates: sharedGates, control: control, sink: sink)
                        }
                        done.append((index, result))
                    }
                }
            }
            for await finished in group {
                for (index, result) in finished { results[index] = result }
            }
        }
        return plan.entries.enumerated().map { index, entry in
            if let result = results[index] { return result }
            // Never started: it is reported like the others, so every output accounts for every item.
            let outcome = ItemOutcome.interrupted(lastStage: entry.state.completedStages.last)
            sink(.itemFinished(item: entry.item.id, outcome: outcome))
            return ItemResult(item: entry.item, outcome: outcome, state: entry.state, stageTimes: [], seconds: 0)
        }
    }

    func runItem(
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
            // Recorded so that `status` can show it and a later run tries again from the last checkpoint. Not
            // when the journal itself failed: its last checkpoint stands, and a shared journal's item, marked
            // failed once the database is back, would be left by every worker of the run.
            if error.code != .journal {
                try? await journal?.record(state, status: .failed, fingerprint: fingerprint, error: error.description)
            }
            control.countFailure()
            return finish(.failed(error))
        }
        // Whether the state holds what a stage that is not local did and the journal does not have yet: it
        // is written before the next stage that is not local starts, and when the item stops.
        var unwritten = false
        // Whether a stage done since the last write must not be taken back by a power cut (see
        // `goesBackSafely`): the next write is then a power-cut one.
        var unwrittenMustSurvivePowerCut = false
        func interrupted() async -> ItemResult {
            if unwritten { try? await journal?.record(state, status: .running, fingerprint: fingerprint) }
            return finish(.interrupted(lastStage: state.completedStages.last))
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
            if control.isStopped || Task.isCancelled { return await interrupted() }
            let gate = gates[step.name]
            await gate?.acquire()
            // The wait for a capped stage may be long: a stop that came meanwhile is honoured first.
            if control.isStopped || Task.isCancelled {
                await gate?.release()
                return await interrupted()
            }
            sink(.stageStarted(item: item.id, stage: step.name))
            let stageStart = ContinuousClock.now
            let context = StageContext(
                item: item, client: client, v2: v2Client, options: manifest.options, step: step, sink: sink,
                isStopping: { control.isStopped }, retryPolicy: retryPolicy,
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
                return await failed(IngestError.from(error, item: item.id, stage: step.name))
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
            unwritten = unwritten || !stage.isLocal
            if !Self.goesBackSafely(after: stage, item: item, onV2: v2Client != nil) {
                unwrittenMustSurvivePowerCut = true
            }
            // The checkpoint is written before the next stage makes its first call. A local stage's result
            // waits for the next write (it is done again after a crash, calling nothing), and so does a
            // result followed by a local stage: nothing is called before that write.
            let writeNow = isLast || next != index + 1 || (unwritten && !stages[next].isLocal)
            if writeNow {
                do {
                    // A stage's own checkpoints survive a power cut; this write may be lost in one and the item
                    // go back to them only after stages that allow it, and with no create in flight (see
                    // JournalDurability).
                    let durability: JournalDurability =
                        unwrittenMustSurvivePowerCut || state.hasCreateInFlight
                        ? .powerCut : .processCrash
                    try await journal?.record(
                        state, status: isLast ? .ingested : .running, fingerprint: fingerprint, error: nil,
                        durability: durability)
                    unwritten = false
                    unwrittenMustSurvivePowerCut = false
                } catch {
                    await gate?.release()
                    control.countFailure()
                    return finish(.failed(IngestError.from(error, item: item.id, stage: step.name)))
                }
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

    /// Whether a power cut may take an item back to before `stage` ran, the run's write after it lost: a
    /// local stage (it is run again, calling nothing), and on v1 a video's `create` (the next run finds the
    /// video by its ingest id) and `upload` (the file is sent again to the same video, with a new link when
    /// the old one was spent). Not an image's or a skin's create (it cannot be looked for), not thumbnails,
    /// tracks or a stage of your own (a lost answer there would be created again or stop the item), and
    /// nothing on v2 (its uploads keep state on the platform): their results are written to survive a power
    /// cut.
    static func goesBackSafely(after stage: any Stage, item: IngestItem, onV2: Bool) -> Bool {
        if stage.isLocal { return true }
        guard !onV2, item.kind == .video else { return false }
        return stage is CreateStage || stage is UploadStage
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}

extension IngestRunner: Service {
    /// Runs the manifest as a service of a `ServiceGroup`: its graceful shutdown (SIGINT/SIGTERM) stops the
    /// run at the next checkpoints; the summary is then in ``lastSummary``.
    ///
    /// - Throws: What ``ingest(observers:endpoint:)`` throws.
    public func run() async throws {
        outcome.set(try await ingest())
    }
}

extension IngestRunner: CustomStringConvertible {
    /// `IngestRunner(N items)`. Short on purpose: a `ServiceGroup` names its services by their description,
    /// and the default one reflected the whole manifest (61 ms of a 1,000-item run, measured by `perf`).
    public var description: String { "IngestRunner(\(manifest.items.count) items)" }
}

/// The summary of a runner's last service run.
final class SummaryBox: Sendable {
    private let summary = Mutex<RunSummary?>(nil)

    var value: RunSummary? { summary.withLock { $0 } }

    func set(_ value: RunSummary) { summary.withLock { $0 = value } }
}

extension IngestRunner {
    /// Starts the task that hands `events` to `observers`, each event to those that read its kind; none
    /// without observers (it would look for events every 20 ms for nothing).
    fileprivate static func deliver(
        _ events: EventBatches, to observers: [(any IngestObserver, IngestEvent.Kinds)]
    ) -> Task<Void, Never>? {
        guard !observers.isEmpty else { return nil }
        return Task {
            while let batch = await events.next() {
                for event in batch {
                    let kinds = event.kind.kinds
                    for (observer, reads) in observers where reads.contains(kinds) { await observer.observe(event) }
                }
            }
        }
    }

    /// The result of an item that does not run, reported as it is met: unchanged since an earlier run (the
    /// journal told of it when it was found on the platform), or refused before it could start. Nil for an
    /// item to run.
    fileprivate func settled(
        _ entry: IngestPlan.Entry, refusal: IngestError?, sink: @Sendable (IngestEvent.Kind) -> Void
    ) async -> ItemResult? {
        let outcome: ItemOutcome
        if entry.action == .unchanged {
            if entry.adopted != nil {
                // Found on the platform: the journal knows it from now on.
                try? await journal?.record(entry.state, status: .ingested, fingerprint: entry.fingerprint)
            }
            outcome = .unchanged(key: entry.state.mediaKey)
        } else if let refusal {
            outcome = .failed(refusal)
        } else {
            return nil
        }
        sink(.itemFinished(item: entry.item.id, outcome: outcome))
        return ItemResult(item: entry.item, outcome: outcome, state: entry.state, stageTimes: [], seconds: 0)
    }
}

/// Hands out 0, 1, 2, … to concurrent callers: the next item a worker takes.
private final class TakeCounter: Sendable {
    private let count = Mutex(0)

    func next() -> Int {
        count.withLock { next in
            defer { next += 1 }
            return next
        }
    }
}
