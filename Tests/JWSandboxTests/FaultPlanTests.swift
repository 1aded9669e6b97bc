import Testing

@testable import JWSandbox

@Suite("Fault SPEC grammar")
struct FaultSpecGrammarTests {
    @Test(
        "every kind reads to its action",
        arguments: [
            ("500", FaultRule.Action.status(.internalError)),
            ("503", .status(.callUnavailable)),
            ("429", .status(.rateLimitExceeded)),
            ("drop", .drop),
            ("md5", .wrongMD5),
            ("latency=50ms", .latency(.milliseconds(50) ... .milliseconds(50))),
            ("DROP", .drop),
            ("Latency=50MS", .latency(.milliseconds(50) ... .milliseconds(50))),
        ])
    func kinds(spec: String, action: FaultRule.Action) throws {
        let plan = try FaultPlan(spec: spec, seed: 1)
        #expect(plan.rules.count == 1)
        #expect(plan.rules.first?.action == action)
        #expect(plan.rules.first?.target == .all)
        #expect(plan.rules.first?.share == 1)
    }

    @Test(
        "scopes",
        arguments: [
            ("500=5%", FaultTarget.all),
            ("500=5%@*", .all),
            ("500=5%@api", .api),
            ("500=5%@API", .api),
            ("500=5%@upload", .upload),
            ("500=5%@s3", .s3),
            ("503=2%@/videos/create", .path("/videos/create")),
            ("503=2%@/v1/videos/create", .path("/videos/create")),
            ("503=2%@/videos/create/", .path("/videos/create")),
            ("drop=2%@/videos/thumbnails/upload", .path("/videos/thumbnails/upload")),
            ("latency=1s@/progress", .path("/progress")),
        ])
    func scopes(spec: String, target: FaultTarget) throws {
        #expect(try FaultPlan(spec: spec, seed: 1).rules.first?.target == target)
    }

    @Test(
        "shares as a percentage or a fraction",
        arguments: [
            ("5%", 0.05), ("0.05", 0.05), (".05", 0.05), ("2.5%", 0.025), ("0.025", 0.025), ("100%", 1.0), ("1", 1.0),
            ("0", 0.0), ("0%", 0.0), ("0.0000001%", 0.000_000_001), ("12.3456789%", 0.123_456_789),
        ])
    func shares(text: String, share: Double) throws {
        let rule = try #require(try FaultPlan(spec: "500=\(text)", seed: 1).rules.first)
        #expect(rule.share == share)
    }

    @Test("a percentage and the same fraction are the same rule")
    func shareFormsAgree() throws {
        #expect(
            try FaultPlan(spec: "429=10%@/videos/list", seed: 1).rules
                == FaultPlan(spec: "429=0.1@/videos/list", seed: 1).rules)
    }

    @Test(
        "latencies and latency ranges",
        arguments: [
            ("latency=50ms", Duration.milliseconds(50), Duration.milliseconds(50), 1.0),
            ("latency=20..200ms", .milliseconds(20), .milliseconds(200), 1.0),
            ("latency=20ms..200ms", .milliseconds(20), .milliseconds(200), 1.0),
            ("latency=900ms..2s", .milliseconds(900), .seconds(2), 1.0),
            ("latency=1.5..2s", .milliseconds(1_500), .seconds(2), 1.0),
            ("latency=250us", .microseconds(250), .microseconds(250), 1.0),
            ("latency=10ns..1us", .nanoseconds(10), .nanoseconds(1_000), 1.0),
            ("latency=0ms", .zero, .zero, 1.0),
            ("latency=2s:10%", .seconds(2), .seconds(2), 0.1),
            ("latency=20..200ms:0.25", .milliseconds(20), .milliseconds(200), 0.25),
            ("latency=3600s", .seconds(3_600), .seconds(3_600), 1.0),
        ] as [(String, Duration, Duration, Double)])
    func latencies(spec: String, lower: Duration, upper: Duration, share: Double) throws {
        let rule = try #require(try FaultPlan(spec: spec, seed: 1).rules.first)
        #expect(rule.action == .latency(lower...upper))
        #expect(rule.share == share)
    }

    @Test("rules are separated by commas or semicolons; whitespace is ignored")
    func separators() throws {
        let spaced = try FaultPlan(spec: " 500 = 5% ; 503=2% @ /videos/create,\tdrop=2%@upload ", seed: 1)
        let compact = try FaultPlan(spec: "500=5%,503=2%@/videos/create;drop=2%@upload", seed: 1)
        #expect(spaced.rules == compact.rules)
        #expect(spaced.rules.count == 3)
    }

    @Test("an empty SPEC and `none` have no rules", arguments: ["", "   ", "none", "NONE"])
    func empty(spec: String) throws {
        let plan = try FaultPlan(spec: spec, seed: 1)
        #expect(plan.isEmpty)
        #expect(plan.description == "none")
    }

    @Test(
        "description renders the canonical SPEC, which reads back to the same rules",
        arguments: [
            ("500=0.05", "500=5%"),
            ("503=2%@/v1/videos/create", "503=2%@/videos/create"),
            ("drop@upload", "drop=100%@upload"),
            ("md5=0.01@*", "md5=1%"),
            ("429=10%@/videos/list", "429=10%@/videos/list"),
            ("latency=20ms..200ms@/videos/show", "latency=20..200ms@/videos/show"),
            ("latency=1500us:100%", "latency=1.5ms"),
            ("latency=900ms..2s:0.1@api", "latency=900ms..2s:10%@api"),
            ("500=5%; latency=50ms", "500=5%,latency=50ms"),
        ])
    func description(spec: String, canonical: String) throws {
        let plan = try FaultPlan(spec: spec, seed: 7)
        #expect(plan.description == canonical)
        #expect(try FaultPlan(spec: plan.description, seed: 7).rules == plan.rules)
    }

    @Test("any path is accepted when the known paths are switched off")
    func unknownPathsAllowed() throws {
        let plan = try FaultPlan(spec: "500@/videos/conversions/list", seed: 1, knownPaths: nil)
        #expect(plan.rules.first?.target == .path("/videos/conversions/list"))
    }
}

@Suite("Fault SPEC errors")
struct FaultSpecErrorTests {
    /// The error `spec` throws.
    func error(_ spec: String) throws -> FaultSpecError {
        do {
            _ = try FaultPlan(spec: spec, seed: 1)
        } catch {
            return error
        }
        Issue.record("\(spec) was accepted")
        throw CancellationError()
    }

    @Test(
        "an unknown kind names the nearest known one",
        arguments: [
            ("latncy=50ms", "latency"), ("dorp=2%@upload", "drop"), ("md4=1%", "md5"), ("5003=5%", "500"),
            ("439", "429"), ("delay=20ms", "latency"), ("disconnect=2%", "drop"), ("checksum", "md5"),
            ("throttle=5%", "429"),
        ])
    func unknownKind(spec: String, suggestion: String) throws {
        let error = try error(spec)
        #expect(error.code == .unknownKind)
        #expect(error.suggestion == suggestion)
        #expect(error.ruleNumber == 1)
        #expect(error.description.contains("did you mean \"\(suggestion)\""))
    }

    @Test("a kind far from every known one gets no suggestion")
    func unknownKindWithoutSuggestion() throws {
        let error = try error("explode=5%")
        #expect(error.code == .unknownKind)
        #expect(error.suggestion == nil)
        #expect(error.message.contains("500, 503, 429, drop, md5, latency"))
    }

    @Test("the error names the rule as typed and its position")
    func namesTheRule() throws {
        let error = try error("500=5%, latncy = 50ms ,drop=1%")
        #expect(error.ruleNumber == 2)
        #expect(error.rule == "latncy = 50ms")
        #expect(error.description.hasPrefix("fault rule 2 \"latncy = 50ms\": unknown kind \"latncy\""))
    }

    @Test("a share over 100%", arguments: ["500=150%", "500=100.0000001%", "500=1.5", "md5=101%@upload"])
    func shareOverWhole(spec: String) throws {
        #expect(try error(spec).code == .shareOverWhole)
    }

    @Test("a fraction over 1 that reads as a percentage suggests one")
    func fractionThatMeantPercent() throws {
        let error = try error("500=5")
        #expect(error.code == .shareOverWhole)
        #expect(error.suggestion == "5%")
    }

    @Test(
        "a share that is not one",
        arguments: ["500=five", "500=5%%", "500=-5%", "500=1e-2", "500=0.0000000001", "500=5ms", "500=5%:2s"])
    func invalidShare(spec: String) throws {
        #expect(try error(spec).code == .invalidShare)
    }

    @Test(
        "a bad duration",
        arguments: [
            "latency=fast", "latency=50", "latency=2h", "latency=3601s", "latency=0.5ns", "latency=200..20ms",
            "latency=1..2..3ms", "latency=..5ms", "latency=ms",
        ])
    func badDuration(spec: String) throws {
        #expect(try error(spec).code == .invalidDuration)
    }

    @Test("a duration without a unit suggests milliseconds; a backwards range suggests the right way round")
    func durationSuggestions() throws {
        #expect(try error("latency=50").suggestion == "50ms")
        #expect(try error("latency=200..20ms").suggestion == "20..200ms")
    }

    @Test("a missing value", arguments: ["500=", "latency", "latency=", "latency=5ms:"])
    func missingValue(spec: String) throws {
        #expect(try error(spec).code == .missingValue)
    }

    @Test("an empty rule", arguments: [("500=5%,,503", 2), ("500=5%,", 2), (";500=5%", 1), ("500=5%, ;503", 2)])
    func emptyRule(spec: String, number: Int) throws {
        let error = try error(spec)
        #expect(error.code == .emptyRule)
        #expect(error.ruleNumber == number)
    }

    @Test(
        "an unknown scope names the nearest known one",
        arguments: [
            ("500@uplod", "upload"), ("500@videos/create", "/videos/create"),
            ("500@/videos/craete", "/videos/create"), ("500@/v1/videos/shwo", "/videos/show"), ("500@", nil),
            ("500@a@b", nil), ("500@/", "*"),
        ] as [(String, String?)])
    func unknownScope(spec: String, suggestion: String?) throws {
        let error = try error(spec)
        #expect(error.code == .unknownScope)
        #expect(error.suggestion == suggestion)
    }

    @Test(
        "drop and md5 need requests with a body",
        arguments: ["drop@api", "drop=2%@/videos/create", "md5=1%@api", "md5@/progress"])
    func scopeWithoutBody(spec: String) throws {
        let error = try error(spec)
        #expect(error.code == .scopeWithoutBody)
        #expect(error.suggestion == "upload")
    }

    @Test("failures that can meet on one request may not add up to more than 100%")
    func sharesOverWhole() throws {
        let error = try error("500=60%,drop=30%@upload,md5=20%@/videos/upload")
        #expect(error.code == .sharesOverWhole)
        #expect(error.ruleNumber == 3)
        #expect(try self.error("500=60%,503=50%@/videos/create").ruleNumber == 2)
        // Rules that never meet on one request, and latencies, do not add up.
        #expect(throws: Never.self) {
            try FaultPlan(spec: "500=60%@/videos/create,503=60%@/videos/show,md5=60%@upload", seed: 1)
        }
        #expect(throws: Never.self) { try FaultPlan(spec: "500=100%,latency=1ms,latency=2ms", seed: 1) }
        #expect(throws: Never.self) { try FaultPlan(spec: "503=100%@api,drop=100%@upload,md5=100%@s3", seed: 1) }
    }
}

@Suite("Fault decisions")
struct FaultDecisionTests {
    static let mixed =
        "500=5%,503=2%@/videos/create,drop=3%@upload,md5=1%@upload,429=10%@/videos/list,"
        + "latency=20..200ms:30%@/videos/show,latency=1ms:50%"
    static let scopes: [FaultScope] = [
        .call("/videos/create"), .call("/videos/show"), .call("/videos/list"), .upload("/v1/videos/upload"),
        .upload("/v1/videos/thumbnails/upload"), .s3, .other("/progress"),
    ]

    @Test("the same seed gives the same decisions over 10,000 requests")
    func sameSeed() throws {
        let first = try FaultPlan(spec: Self.mixed, seed: 20_240_601)
        let second = try FaultPlan(spec: Self.mixed, seed: 20_240_601)
        var fired = 0
        var differences = 0
        for index in 0..<10_000 {
            let scope = Self.scopes[index % Self.scopes.count]
            let decision = first.decide(for: scope)
            if decision != second.decide(for: scope) { differences += 1 }
            if !decision.isNone { fired += 1 }
        }
        #expect(differences == 0)
        #expect(fired > 1_000)
    }

    @Test("a different seed gives different decisions")
    func differentSeed() throws {
        let first = try FaultPlan(spec: Self.mixed, seed: 1)
        let second = try FaultPlan(spec: Self.mixed, seed: 2)
        var differences = 0
        for index in 0..<10_000 {
            let scope = Self.scopes[index % Self.scopes.count]
            if first.decide(for: scope) != second.decide(for: scope) { differences += 1 }
        }
        #expect(differences > 1_000)
    }

    @Test("a scope's sequence does not depend on other scopes' requests")
    func scopesAreIndependent() throws {
        let alone = try FaultPlan(spec: Self.mixed, seed: 99)
        let mixed = try FaultPlan(spec: Self.mixed, seed: 99)
        let upload = FaultScope.upload("/videos/upload")
        let others = Self.scopes.filter { $0 != upload }
        #expect(others.count == Self.scopes.count - 1)
        var expected: [FaultDecision] = []
        var seen: [FaultDecision] = []
        for index in 0..<2_000 {
            expected.append(alone.decide(for: upload))
            for _ in 0..<(index % 4) { _ = mixed.decide(for: others[index % others.count]) }
            seen.append(mixed.decide(for: upload))
        }
        #expect(firstDifference(seen, expected) == nil)
        #expect(seen.contains { !$0.isNone })
    }

    @Test("concurrent scopes keep their sequences; decision(for:at:) predicts them")
    func concurrentScopes() async throws {
        let plan = try FaultPlan(spec: Self.mixed, seed: 5)
        let results = await withTaskGroup(of: (Int, [FaultDecision]).self) { group in
            for (number, scope) in Self.scopes.enumerated() {
                group.addTask { (number, (0..<2_000).map { _ in plan.decide(for: scope) }) }
            }
            var results: [Int: [FaultDecision]] = [:]
            for await (number, decisions) in group { results[number] = decisions }
            return results
        }
        for (number, scope) in Self.scopes.enumerated() {
            let predicted = (0..<2_000).map { plan.decision(for: scope, at: UInt64($0)) }
            #expect(firstDifference(results[number] ?? [], predicted) == nil, "\(scope)")
            #expect(plan.decisionCount(for: scope) == 2_000)
        }
    }

    @Test("copies share the counters; restarted() starts the sequence over")
    func counters() throws {
        let plan = try FaultPlan(spec: "500=50%", seed: 3)
        let copy = plan
        let scope = FaultScope.call("/videos/create")
        let first = (0..<100).map { _ in plan.decide(for: scope) }
        #expect(copy.decisionCount(for: scope) == 100)
        let again = plan.restarted()
        #expect(again.decisionCount(for: scope) == 0)
        #expect((0..<100).map { _ in again.decide(for: scope) } == first)
    }

    @Test("paths are normalized, so /v1/… and … are one scope")
    func normalizedScopes() {
        #expect(FaultScope.upload("/v1/videos/upload") == FaultScope.upload("videos/upload/"))
        #expect(FaultScope.call("/v1/videos/create").path == "/videos/create")
        #expect(FaultScope.s3.path.isEmpty)
    }

    /// The first index at which two sequences of decisions differ (in length or value), if any.
    func firstDifference(_ seen: [FaultDecision], _ expected: [FaultDecision]) -> Int? {
        (0..<min(seen.count, expected.count)).first { seen[$0] != expected[$0] }
            ?? (seen.count == expected.count ? nil : min(seen.count, expected.count))
    }

    /// How many of `count` decisions for `scope` satisfy `predicate`.
    func count(_ plan: FaultPlan, _ scope: FaultScope, _ count: Int, _ predicate: (FaultDecision) -> Bool) -> Int {
        (0..<count).reduce(0) { total, _ in total + (predicate(plan.decide(for: scope)) ? 1 : 0) }
    }

    @Test("a 5% rule fires on 5% ± 1% of 20,000 requests", arguments: [1, 42, 20_240_601, UInt64.max])
    func observedShare(seed: UInt64) throws {
        let plan = try FaultPlan(spec: "500=5%", seed: seed)
        let fired = count(plan, .call("/videos/create"), 20_000) { $0.status == .internalError }
        #expect((800...1_200).contains(fired), "\(fired) of 20,000")
    }

    @Test("failure shares on one request are each kept: 500=5%, 503=2%, drop=3%, md5=1% on uploads")
    func observedSharesTogether() throws {
        let plan = try FaultPlan(spec: "500=5%,503=2%,drop=3%@upload,md5=1%@upload", seed: 11)
        var counts: [String: Int] = [:]
        for _ in 0..<20_000 {
            let decision = plan.decide(for: .upload("/videos/upload"))
            let name =
                switch decision.failure {
                case .status(let status): String(status.code)
                case .drop: "drop"
                case .wrongMD5: "md5"
                case nil: "none"
                }
            counts[name, default: 0] += 1
        }
        #expect((800...1_200).contains(counts["500", default: 0]), "\(counts)")
        #expect((200...600).contains(counts["503", default: 0]), "\(counts)")
        #expect((400...800).contains(counts["drop", default: 0]), "\(counts)")
        #expect((100...300).contains(counts["md5", default: 0]), "\(counts)")
    }

    @Test("drop points are fractions in 0..<1, spread evenly")
    func dropPoints() throws {
        let plan = try FaultPlan(spec: "drop@upload", seed: 8)
        let fractions = (0..<20_000).compactMap { _ in plan.decide(for: .upload("/videos/upload")).dropFraction }
        #expect(fractions.count == 20_000)
        #expect(fractions.allSatisfy { (0..<1).contains($0) })
        let mean = fractions.reduce(0, +) / Double(fractions.count)
        #expect(abs(mean - 0.5) < 0.02)
        #expect(fractions.filter { $0 < 0.25 }.count > 4_500)
    }

    @Test("latencies fall in their range, for their share of requests")
    func latencyRange() throws {
        let plan = try FaultPlan(spec: "latency=20..200ms:10%@/videos/show", seed: 4)
        let latencies = (0..<20_000).map { _ in plan.decide(for: .call("/videos/show")).latency }
        let added = latencies.filter { $0 != .zero }
        #expect((1_800...2_200).contains(added.count))
        #expect(added.allSatisfy { (Duration.milliseconds(20)...Duration.milliseconds(200)).contains($0) })
        #expect(added.contains { $0 < .milliseconds(40) } && added.contains { $0 > .milliseconds(180) })
    }

    @Test("a fixed latency always applies; latencies of several rules add up")
    func latenciesAdd() throws {
        let plan = try FaultPlan(spec: "latency=50ms,latency=2s@/videos/show", seed: 4)
        #expect(plan.decide(for: .call("/videos/create")) == FaultDecision(latency: .milliseconds(50)))
        #expect(plan.decide(for: .call("/videos/show")).latency == .milliseconds(2_050))
    }

    @Test("a /videos/create rule does not fire on /videos/show")
    func callScope() throws {
        let plan = try FaultPlan(spec: "503=100%@/videos/create", seed: 1)
        #expect(plan.decide(for: .call("/videos/create")).status == .callUnavailable)
        #expect(plan.decide(for: .call("/v1/videos/create")).status == .callUnavailable)
        #expect(count(plan, .call("/videos/show"), 1_000) { !$0.isNone } == 0)
        #expect(count(plan, .upload("/videos/upload"), 1_000) { !$0.isNone } == 0)
    }

    @Test("`upload` matches every upload path, and nothing else")
    func uploadScope() throws {
        let plan = try FaultPlan(spec: "md5@upload", seed: 1)
        for path in FaultTarget.knownUploadPaths {
            #expect(plan.decide(for: .upload("/v1" + path)).wrongMD5, "\(path)")
        }
        #expect(plan.decide(for: .upload("/v1/some/future/upload")).wrongMD5)
        #expect(plan.decide(for: .s3).isNone)
        #expect(plan.decide(for: .call("/videos/create")).isNone)
        #expect(plan.decide(for: .other("/progress")).isNone)
    }

    @Test("`api`, `s3` and `*` select their requests")
    func otherScopes() throws {
        let api = try FaultPlan(spec: "429@api", seed: 1)
        #expect(api.decide(for: .call("/videos/list")).status == .rateLimitExceeded)
        #expect(api.decide(for: .upload("/videos/upload")).isNone)
        let s3 = try FaultPlan(spec: "drop@s3", seed: 1)
        #expect(s3.decide(for: .s3).dropFraction != nil)
        #expect(s3.decide(for: .upload("/videos/upload")).isNone)
        let all = try FaultPlan(spec: "500", seed: 1)
        for scope in Self.scopes { #expect(all.decide(for: scope).status == .internalError, "\(scope)") }
    }

    @Test("drop and md5 on `*` fire only on requests with a body")
    func bodyKindsOnAll() throws {
        let plan = try FaultPlan(spec: "drop=50%,md5=50%", seed: 1)
        #expect(count(plan, .call("/videos/create"), 1_000) { !$0.isNone } == 0)
        #expect(count(plan, .other("/progress"), 1_000) { !$0.isNone } == 0)
        #expect(count(plan, .s3, 1_000) { $0.failure != nil } == 1_000)
    }

    @Test("FaultPlan.none never fires", arguments: scopes)
    func noneNeverFires(scope: FaultScope) throws {
        #expect(count(FaultPlan.none, scope, 10_000) { !$0.isNone } == 0)
        #expect(FaultPlan.none.description == "none")
        #expect(FaultPlan.none.decisionCount(for: scope) == 0)
        #expect(count(try FaultPlan(spec: "500=0%,latency=5ms:0%", seed: 1), scope, 10_000) { !$0.isNone } == 0)
    }

    @Test("drop offsets and wrong md5s")
    func decisionHelpers() {
        let half = FaultDecision(failure: .drop(after: 0.5))
        #expect(half.dropOffset(bodyLength: 1_000) == 500)
        #expect(FaultDecision(failure: .drop(after: 0.999_999_999)).dropOffset(bodyLength: 10) == 9)
        #expect(FaultDecision(failure: .drop(after: 0)).dropOffset(bodyLength: 10) == 0)
        #expect(FaultDecision.none.dropOffset(bodyLength: 10) == nil)
        let md5 = "6d4063f3b2f5e6f1a1c4d5e6f7a8b9c0"
        let wrong = FaultDecision.wrongMD5(for: md5)
        #expect(wrong != md5)
        #expect(wrong.count == 32)
        #expect(wrong.dropLast() == md5.dropLast())
        #expect(FaultDecision.wrongMD5(for: "ABCF") == "ABCE")
    }

    @Test("the stream hash is FNV-1a, stable across processes")
    func stableHash() {
        #expect(FaultStream.fnv1a("") == 0xCBF2_9CE4_8422_2325)
        #expect(FaultStream.fnv1a("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(FaultStream.fnv1a("foobar") == 0x8594_4171_F739_67E8)
    }
}
