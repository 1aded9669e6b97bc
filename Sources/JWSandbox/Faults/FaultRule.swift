/// One rule of a SPEC: what to inject, into which requests, in what share of them.
///
/// Its ``description`` is the rule's canonical SPEC text (`503=2%@/videos/create`, `latency=20..200ms:10%`),
/// which reads back to an equal rule.
public struct FaultRule: Sendable, Hashable, CustomStringConvertible {
    /// What the rule injects.
    public enum Action: Sendable, Hashable {
        /// Answer this error instead of running the request (kinds `500`, `503`, `429`).
        case status(FaultStatus)
        /// Close the connection in the middle of the request body (kind `drop`).
        case drop
        /// Answer a wrong md5 for an upload (kind `md5`).
        case wrongMD5
        /// Wait a duration drawn uniformly from this range, in whole nanoseconds (kind `latency`).
        case latency(ClosedRange<Duration>)
        /// Read each request body at most this many bytes a second, as a slow link would deliver it
        /// (kind `bw`): every connection on its own, so that parallel uploads add up.
        case bandwidth(bytesPerSecond: Int64)
    }

    /// What the rule injects.
    public var action: Action
    /// Which requests it applies to.
    public var target: FaultTarget
    /// The share of those requests it fires on, in billionths (`5%` is 50,000,000).
    var billionths: UInt64

    /// A rule that injects `action` into `share` of the requests `target` selects.
    ///
    /// - Parameters:
    ///   - action: What to inject.
    ///   - share: The share of requests, `0...1`, kept to the nearest billionth.
    ///   - target: Which requests.
    public init(_ action: Action, share: Double = 1, target: FaultTarget = .all) {
        self.action = action
        self.target = target
        let clamped = min(max(share.isNaN ? 0 : share, 0), 1)
        billionths = UInt64((clamped * Double(FaultShare.whole)).rounded())
    }

    /// The share of the selected requests it fires on, `0...1`.
    public var share: Double { Double(billionths) / Double(FaultShare.whole) }

    /// Whether the action is a failure (a status, a drop, a wrong md5): at most one per request.
    var isFailure: Bool {
        switch action {
        case .latency, .bandwidth: false
        case .status, .drop, .wrongMD5: true
        }
    }

    /// Whether the rule can fire on a request of `scope`: its target selects it, and a `drop` or `md5` rule
    /// fires only on requests that carry a body (uploads and S3 PUTs).
    func applies(to scope: FaultScope) -> Bool {
        switch action {
        case .drop, .wrongMD5, .bandwidth: scope.carriesBody && target.matches(scope)
        case .status, .latency: target.matches(scope)
        }
    }

    /// The rule's kind as a SPEC names it: `500`, `drop`, `md5`, `latency`.
    public var kindName: String {
        switch action {
        case .status(let status): String(status.code)
        case .drop: "drop"
        case .wrongMD5: "md5"
        case .latency: "latency"
        case .bandwidth: "bw"
        }
    }

    /// The canonical SPEC text of the rule.
    public var description: String {
        var text = kindName
        switch action {
        case .latency(let range):
            let nanoseconds = range.lowerBound.faultNanoseconds...range.upperBound.faultNanoseconds
            text += "=" + FaultDuration.format(range: nanoseconds)
            if billionths != FaultShare.whole { text += ":" + FaultShare.format(billionths) }
        case .status, .drop, .wrongMD5:
            text += "=" + FaultShare.format(billionths)
        case .bandwidth(let bytesPerSecond):
            text += "=" + FaultBandwidth.format(bytesPerSecond)
        }
        if target != .all { text += "@\(target)" }
        return text
    }
}
