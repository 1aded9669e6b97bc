/// Reads a SPEC (`500=5%,drop=2%@upload,latency=20..200ms@/videos/show`) into rules; see `FAULTS.md`.
///
/// Rules are separated by `,` or `;`; whitespace anywhere is ignored; an empty SPEC or `none` has no rules.
/// A rule is `KIND[=VALUE][@SCOPE]`: `500`, `503`, `429`, `drop`, `md5` take a share (`5%` or `0.05`; 100%
/// when absent), `latency` takes `DURATION[..DURATION][:SHARE]`.
struct FaultSpecParser: Sendable {
    /// The kinds, in the order suggestions prefer them.
    static let kinds = ["500", "503", "429", "drop", "md5", "latency", "bw"]

    /// The paths a `@/path` scope may name, in suggestion order, or `nil` to accept any path.
    var knownPaths: [String]?

    /// A parser that accepts the paths in `knownPaths` (any path when `nil`).
    init(knownPaths: [String]? = FaultTarget.knownPaths) {
        self.knownPaths = knownPaths.map { $0.map(FaultScope.normalized) }
    }

    /// The rules of `spec`, in order.
    ///
    /// - Throws: ``FaultSpecError`` naming the first rule that cannot be read, or the rule that takes the
    ///   failures of some request over 100%.
    func parse(_ spec: String) throws(FaultSpecError) -> [FaultRule] {
        let trimmed = spec.filter { !$0.isWhitespace }
        guard !trimmed.isEmpty, trimmed.lowercased() != "none" else { return [] }
        let texts = spec.split(omittingEmptySubsequences: false) { $0 == "," || $0 == ";" }
        var rules: [FaultRule] = []
        for (index, typed) in texts.enumerated() {
            let rule = typed.faultTrimmed()
            let compact = Substring(rule.filter { !$0.isWhitespace })
            let parsed: Result<FaultRule, FaultSpecError.Detail> =
                compact.isEmpty
                ? .failure(.init(.emptyRule, "empty rule (two separators in a row, or one at an end)"))
                : parseRule(compact)
            switch parsed {
            case .success(let value):
                rules.append(value)
            case .failure(let detail):
                throw FaultSpecError(
                    code: detail.code, rule: String(rule), ruleNumber: index + 1, message: detail.message,
                    suggestion: detail.suggestion)
            }
        }
        try checkSums(rules, texts: texts.map { $0.faultTrimmed() })
        return rules
    }

    /// One rule, without whitespace.
    func parseRule(_ text: Substring) -> Result<FaultRule, FaultSpecError.Detail> {
        let atParts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard atParts.count <= 2 else { return .failure(.init(.unknownScope, "more than one \"@\"")) }
        let head = atParts[0]
        let equalsIndex = head.firstIndex(of: "=")
        let kind = (equalsIndex.map { head[..<$0] } ?? head).lowercased()
        let value = equalsIndex.map { head[head.index(after: $0)...] }

        let action: FaultRule.Action
        let billionths: UInt64
        switch kind {
        case "500", "503", "429", "drop", "md5":
            action =
                switch kind {
                case "drop": .drop
                case "md5": .wrongMD5
                default: .status(FaultStatus.byKind[kind]!)
                }
            switch parseShare(value, kind: kind) {
            case .success(let share): billionths = share
            case .failure(let detail): return .failure(detail)
            }
        case "latency":
            switch parseLatency(value) {
            case .success(let latency): (action, billionths) = latency
            case .failure(let detail): return .failure(detail)
            }
        case "bw":
            guard let value, !value.isEmpty else {
                return .failure(.init(.missingValue, "bw takes bytes a second (bw=20M, bw=512K, bw=1000000)"))
            }
            guard let rate = FaultBandwidth.parse(value) else {
                return .failure(
                    .init(.invalidBandwidth, "bw takes bytes a second (bw=20M, bw=512K, bw=1000000), not \"\(value)\""))
            }
            (action, billionths) = (.bandwidth(bytesPerSecond: rate), FaultShare.whole)
        case "":
            return .failure(.init(.unknownKind, "no kind before \"=\" (\(Self.kindList))"))
        default:
            let suggestion = FaultSuggestion.nearest(
                to: kind, among: Self.kinds, synonyms: FaultSuggestion.kindSynonyms)
            return .failure(.init(.unknownKind, "unknown kind \"\(kind)\" (\(Self.kindList))", suggestion: suggestion))
        }

        var target = FaultTarget.all
        if atParts.count == 2 {
            switch parseTarget(atParts[1]) {
            case .success(let parsed): target = parsed
            case .failure(let detail): return .failure(detail)
            }
        }
        var rule = FaultRule(action, target: target)
        rule.billionths = billionths
        if action == .drop || action == .wrongMD5 || kind == "bw", !target.canCarryBody {
            return .failure(scopeWithoutBody(kind: kind, target: target))
        }
        return .success(rule)
    }

    /// `kinds: 500, 503, 429, drop, md5, latency`, for messages.
    static let kindList = "kinds: " + kinds.joined(separator: ", ")

    /// The share after `=` of a failure kind; 100% when there is no `=`.
    private func parseShare(_ value: Substring?, kind: String) -> Result<UInt64, FaultSpecError.Detail> {
        guard let value else { return .success(FaultShare.whole) }
        guard !value.isEmpty else {
            return .failure(.init(.missingValue, "nothing after \"=\": \(kind) takes a share (5% or 0.05)"))
        }
        if value.contains(":") || FaultDuration.unitPower(of: value) != nil {
            return .failure(.init(.invalidShare, "\(kind) takes a share (5% or 0.05), not \"\(value)\""))
        }
        return FaultShare.parse(value)
    }

    /// `DURATION[..DURATION][:SHARE]` after `latency=`.
    private func parseLatency(_ value: Substring?) -> Result<(FaultRule.Action, UInt64), FaultSpecError.Detail> {
        guard let value, !value.isEmpty else {
            return .failure(.init(.missingValue, "latency takes a duration (latency=50ms, latency=20..200ms)"))
        }
        let colonParts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        var billionths = FaultShare.whole
        if colonParts.count == 2 {
            guard !colonParts[1].isEmpty else {
                return .failure(.init(.missingValue, "nothing after \":\": a latency's share (5% or 0.05)"))
            }
            switch FaultShare.parse(colonParts[1]) {
            case .success(let share): billionths = share
            case .failure(let detail): return .failure(detail)
            }
        }
        let ends = colonParts[0].split(separator: "..", omittingEmptySubsequences: false)
        let range: ClosedRange<Int64>
        switch ends.count {
        case 1:
            switch FaultDuration.parse(ends[0]) {
            case .success(let nanoseconds): range = nanoseconds...nanoseconds
            case .failure(let detail): return .failure(detail)
            }
        case 2:
            let upper: Int64
            let lower: Int64
            switch FaultDuration.parse(ends[1]) {
            case .success(let nanoseconds): upper = nanoseconds
            case .failure(let detail): return .failure(detail)
            }
            switch FaultDuration.parse(ends[0], defaultUnit: FaultDuration.unitPower(of: ends[1])) {
            case .success(let nanoseconds): lower = nanoseconds
            case .failure(let detail): return .failure(detail)
            }
            guard lower <= upper else {
                return .failure(
                    .init(
                        .invalidDuration, "latency range \"\(colonParts[0])\" runs backwards",
                        suggestion: FaultDuration.format(range: upper...lower)))
            }
            range = lower...upper
        default:
            return .failure(.init(.invalidDuration, "latency \"\(colonParts[0])\" has more than one \"..\""))
        }
        let durations = Duration.nanoseconds(range.lowerBound)...Duration.nanoseconds(range.upperBound)
        return .success((.latency(durations), billionths))
    }

    /// The part after `@`.
    private func parseTarget(_ text: Substring) -> Result<FaultTarget, FaultSpecError.Detail> {
        guard !text.isEmpty else {
            return .failure(.init(.unknownScope, "nothing after \"@\" (*, api, upload, s3 or a path)"))
        }
        if let word = FaultTarget.words[text.lowercased()] { return .success(word) }
        guard text.hasPrefix("/") else {
            let words = ["*", "api", "upload", "s3"]
            let asPath = FaultScope.normalized(String(text))
            let suggestion =
                FaultSuggestion.nearest(to: String(text), among: words)
                ?? (knownPaths.map { $0.contains(asPath) } ?? true ? asPath : nil)
            return .failure(
                .init(
                    .unknownScope, "unknown scope \"\(text)\" (*, api, upload, s3, or a path starting with /)",
                    suggestion: suggestion))
        }
        let path = FaultScope.normalized(String(text))
        guard !path.isEmpty else {
            return .failure(
                .init(.unknownScope, "\"\(text)\" names no path (use * for every request)", suggestion: "*"))
        }
        if let knownPaths, !knownPaths.contains(path) {
            let suggestion = FaultSuggestion.nearest(to: path, among: knownPaths)
            return .failure(
                .init(
                    .unknownScope, "unknown path \"\(text)\" (not a call or upload path of API.md)",
                    suggestion: suggestion))
        }
        return .success(.path(path))
    }

    /// The error for a `drop` or `md5` rule on requests without a body.
    private func scopeWithoutBody(kind: String, target: FaultTarget) -> FaultSpecError.Detail {
        .init(
            .scopeWithoutBody,
            "\(kind) needs a request body, and \"\(target)\" requests carry none (use upload, s3, * or an upload path)",
            suggestion: "upload")
    }

    /// Refuses a SPEC in which the failure rules matching one request add up to more than 100%.
    ///
    /// Checked on a request at each path the rules name, and on a request of each kind at a path none names.
    private func checkSums(_ rules: [FaultRule], texts: [Substring]) throws(FaultSpecError) {
        var probes: [(scope: FaultScope, name: String)] = [
            (.call("/\u{1}"), "any API call"), (.upload("/\u{1}/upload"), "any upload"), (.s3, "S3 PUTs"),
            (.other("/\u{1}"), "any other request"),
        ]
        for rule in rules {
            guard case .path(let path) = rule.target else { continue }
            let scope: FaultScope =
                FaultTarget.isUploadPath(path) ? .upload(path) : path == "/progress" ? .other(path) : .call(path)
            probes.append((scope, path))
        }
        for probe in probes {
            var total: UInt64 = 0
            for (index, rule) in rules.enumerated() where rule.isFailure && rule.applies(to: probe.scope) {
                total += rule.billionths
                guard total <= FaultShare.whole else {
                    throw FaultSpecError(
                        code: .sharesOverWhole, rule: String(texts[index]), ruleNumber: index + 1,
                        message: "with the rules before it, the failures of \(probe.name) add up to "
                            + "\(FaultShare.format(total)), over 100% (a request gets at most one failure)")
                }
            }
        }
    }
}

extension Substring {
    /// The text without leading and trailing whitespace.
    func faultTrimmed() -> Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return self[endIndex...] }
        return self[first...last]
    }
}
