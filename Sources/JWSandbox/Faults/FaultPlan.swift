/// Which faults the sandbox injects into which requests, decided from a seed so a failing test fails the
/// same way every time.
///
/// Made from a SPEC (the grammar is in `FAULTS.md`) and a seed:
///
/// ```swift
/// let plan = try FaultPlan(spec: "503=2%@/videos/create,drop=5%@upload,latency=20..200ms", seed: 42)
/// let decision = plan.decide(for: .upload("/v1/videos/upload"))
/// ```
///
/// ## Repeatability
///
/// Each request scope (``FaultScope``: an API call name, an upload path, all S3 PUTs, another path) has its
/// own deterministic stream: SplitMix64 started from `seed ^ FNV-1a(scope)`, read at a position given by
/// the scope's own counter. So the n-th request of a scope gets the same ``FaultDecision`` for the same seed
/// and SPEC, however requests of other scopes interleave with it, on any machine; only the order of
/// concurrent requests *within* one scope decides which of them is the n-th.
///
/// ## Shares
///
/// A request gets at most one failure (a status, a drop or a wrong md5): one draw per request picks among
/// the failure rules that apply to it, in SPEC order, each over its own share, so `500=5%,503=2%` answers 5%
/// of requests with 500 and another 2% with 503. Each latency rule draws on its own, and the latencies of the
/// rules that fire add up.
///
/// A plan is a value that any thread may use; its copies share the counters (see ``restarted()``).
public struct FaultPlan: Sendable, CustomStringConvertible {
    /// The rules, in SPEC order.
    public let rules: [FaultRule]
    /// The seed the decisions come from.
    public let seed: UInt64
    /// Decisions given so far, by scope; shared by copies.
    private let counters: FaultCounters
    /// The failure rules (statuses, drops, wrong md5s), in order.
    private let failureRules: [FaultRule]
    /// The latency rules with their ranges in nanoseconds.
    private let latencyRules: [(rule: FaultRule, range: ClosedRange<Int64>)]

    /// The plan of `spec` with decisions drawn from `seed`.
    ///
    /// - Parameters:
    ///   - spec: Rules such as `500=5%,drop=2%@upload`; empty or `none` for no faults.
    ///   - seed: The seed of every decision (`jwingest sandbox --seed N`).
    ///   - knownPaths: The paths a rule may name after `@`, or `nil` to accept any path; by default the
    ///     calls and upload paths of API.md and `/progress` (``FaultTarget/knownPaths``).
    /// - Throws: ``FaultSpecError`` naming the rule that cannot be read and what is wrong with it.
    public init(spec: String, seed: UInt64, knownPaths: [String]? = FaultTarget.knownPaths) throws(FaultSpecError) {
        self.init(rules: try FaultSpecParser(knownPaths: knownPaths).parse(spec), seed: seed)
    }

    /// The plan of `rules` with decisions drawn from `seed`.
    ///
    /// Unlike a SPEC, `rules` are not checked: where the failure shares that apply to a request add up to
    /// more than 100%, the later rules get what is left.
    ///
    /// - Parameters:
    ///   - rules: The rules, in order.
    ///   - seed: The seed of every decision.
    public init(rules: [FaultRule], seed: UInt64) {
        self.rules = rules
        self.seed = seed
        counters = FaultCounters()
        failureRules = rules.filter(\.isFailure)
        latencyRules = rules.compactMap { rule in
            guard case .latency(let range) = rule.action else { return nil }
            return (rule, range.lowerBound.faultNanoseconds...range.upperBound.faultNanoseconds)
        }
    }

    /// No faults: every decision is ``FaultDecision/none``.
    public static let none = FaultPlan(rules: [], seed: 0)

    /// Whether the plan has no rules.
    public var isEmpty: Bool { rules.isEmpty }

    /// The decision for the next request of `scope`, counting it.
    ///
    /// Safe to call from any thread. A scope no rule applies to is not counted (its decisions are all
    /// ``FaultDecision/none``).
    ///
    /// - Parameter scope: The request.
    /// - Returns: The faults to inject into it.
    public func decide(for scope: FaultScope) -> FaultDecision {
        guard rules.contains(where: { $0.applies(to: scope) }) else { return .none }
        return decision(for: scope, at: counters.next(for: scope.streamKey))
    }

    /// The decision for the `index`-th request of `scope` (from 0), without counting anything.
    ///
    /// What ``decide(for:)`` answers for that request; lets a test know in advance which request fails.
    ///
    /// - Parameters:
    ///   - scope: The request.
    ///   - index: Its position among the requests of its scope, from 0.
    /// - Returns: The faults to inject into it.
    public func decision(for scope: FaultScope, at index: UInt64) -> FaultDecision {
        let stream = FaultStream(seed: seed, key: scope.streamKey)
        let stride = UInt64(2 + 2 * latencyRules.count)
        let position = index &* stride

        var failure: FaultDecision.Failure?
        let roll = stream.below(FaultShare.whole, at: position)
        var bound: UInt64 = 0
        for rule in failureRules where rule.applies(to: scope) {
            bound += rule.billionths
            guard roll < bound else { continue }
            switch rule.action {
            case .status(let status): failure = .status(status)
            case .drop: failure = .drop(after: stream.fraction(at: position &+ 1))
            case .wrongMD5: failure = .wrongMD5
            case .latency, .bandwidth: break
            }
            break
        }

        var latency: Int64 = 0
        for (number, entry) in latencyRules.enumerated() where entry.rule.applies(to: scope) {
            let slot = position &+ 2 &+ 2 &* UInt64(number)
            guard stream.below(FaultShare.whole, at: slot) < entry.rule.billionths else { continue }
            let span = UInt64(entry.range.upperBound - entry.range.lowerBound)
            let offset = span == 0 ? 0 : stream.below(span + 1, at: slot &+ 1)
            latency += entry.range.lowerBound + Int64(offset)
        }
        // A bandwidth limit draws nothing from the stream: the slowest rule that applies holds.
        let bandwidth = rules.compactMap { rule -> Int64? in
            guard case .bandwidth(let rate) = rule.action, rule.applies(to: scope) else { return nil }
            return rate
        }.min()
        return FaultDecision(failure: failure, latency: .nanoseconds(latency), bandwidth: bandwidth)
    }

    /// How many requests of `scope` ``decide(for:)`` has counted.
    ///
    /// - Parameter scope: The request scope.
    /// - Returns: The count, which is also the index of the next decision.
    public func decisionCount(for scope: FaultScope) -> UInt64 {
        counters.count(for: scope.streamKey)
    }

    /// The same rules and seed with every scope's count back at zero: the sequence starts over.
    public func restarted() -> FaultPlan { FaultPlan(rules: rules, seed: seed) }

    /// The plan as a canonical SPEC, e.g. `500=5%,drop=2%@upload,latency=20..200ms@/videos/show`; `none`
    /// for no rules. It reads back to the same rules; the seed is not part of it.
    public var description: String {
        rules.isEmpty ? "none" : rules.map(\.description).joined(separator: ",")
    }
}
