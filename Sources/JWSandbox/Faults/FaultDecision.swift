/// What a ``FaultPlan`` decided for one request: at most one failure, and a latency.
///
/// The sandbox applies it in this order: wait ``latency`` before it handles the request (before it reads an
/// upload body), then
/// - ``Failure/status(_:)``: answer that error in the asked format without running the call: nothing is
///   created or stored, and an upload token stays valid;
/// - ``Failure/drop(after:)``: read that fraction of the body (of its `Content-Length`), then close the
///   connection without an answer; nothing is stored and the token stays valid;
/// - ``Failure/wrongMD5``: run the upload normally (the asset keeps the true md5), but answer
///   ``FaultDecision/wrongMD5(for:)`` of the true md5 in `video.md5` and `file.md5` (for S3, in the `ETag`).
public struct FaultDecision: Sendable, Hashable, CustomStringConvertible {
    /// The one failure a request can get.
    public enum Failure: Sendable, Hashable {
        /// Answer this error instead of running the request.
        case status(FaultStatus)
        /// Close the connection after this fraction (`0..<1`) of the request body.
        case drop(after: Double)
        /// Answer a wrong md5 for what was stored.
        case wrongMD5
    }

    /// The failure to inject, or `nil` to serve the request normally.
    public var failure: Failure?
    /// How long to wait before handling the request; `.zero` for none.
    public var latency: Duration
    /// The most bytes a second the request's body is read at, or `nil` for no limit.
    public var bandwidth: Int64?

    /// A decision with `failure` and `latency`.
    ///
    /// - Parameters:
    ///   - failure: The failure, or `nil`.
    ///   - latency: The added latency.
    ///   - bandwidth: The most bytes a second the body is read at, or `nil`.
    public init(failure: Failure? = nil, latency: Duration = .zero, bandwidth: Int64? = nil) {
        self.failure = failure
        self.latency = latency
        self.bandwidth = bandwidth
    }

    /// No fault: serve the request normally, at once.
    public static let none = FaultDecision()

    /// Whether nothing is injected.
    public var isNone: Bool { failure == nil && latency == .zero && bandwidth == nil }

    /// The status to answer instead of running the request, if that is the failure.
    public var status: FaultStatus? {
        if case .status(let status) = failure { status } else { nil }
    }

    /// The fraction (`0..<1`) of the body after which to close the connection, if that is the failure.
    public var dropFraction: Double? {
        if case .drop(let fraction) = failure { fraction } else { nil }
    }

    /// Whether the answer is to carry a wrong md5.
    public var wrongMD5: Bool { failure == .wrongMD5 }

    /// The byte offset at which to close the connection for a body of `bodyLength` bytes, if the failure is a
    /// drop: `floor(fraction × bodyLength)`, so always less than `bodyLength` (the last byte never arrives).
    ///
    /// - Parameter bodyLength: The body's `Content-Length`.
    /// - Returns: How many body bytes to read before closing, or `nil` when the request is not dropped.
    public func dropOffset(bodyLength: Int64) -> Int64? {
        guard let fraction = dropFraction else { return nil }
        guard bodyLength > 0 else { return 0 }
        return min(Int64((fraction * Double(bodyLength)).rounded(.down)), bodyLength - 1)
    }

    /// A wrong md5 for `md5`: the same text with its last hex digit changed (`0`↔`1`, `e`↔`f`, …).
    ///
    /// Still 32 lowercase hex digits, so a client must compare values to notice.
    ///
    /// - Parameter md5: The true md5, in hex.
    /// - Returns: A different md5 of the same length.
    public static func wrongMD5(for md5: String) -> String {
        guard let last = md5.last, let value = last.hexDigitValue else { return md5 + "0" }
        let flipped = String(value ^ 1, radix: 16)
        return String(md5.dropLast()) + (last.isUppercase ? flipped.uppercased() : flipped)
    }

    /// `none`, or the failure and the latency, e.g. `503 +120ms`, `drop@0.42`, `md5`.
    public var description: String {
        var parts: [String] = []
        switch failure {
        case .status(let status): parts.append(String(status.code))
        case .drop(let fraction): parts.append("drop@\(fraction)")
        case .wrongMD5: parts.append("md5")
        case nil: break
        }
        if latency != .zero { parts.append("+\(FaultDuration.format(nanoseconds: latency.faultNanoseconds))") }
        if let bandwidth { parts.append("bw=\(FaultBandwidth.format(bandwidth))") }
        return parts.isEmpty ? "none" : parts.joined(separator: " ")
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var faultNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled &+ attoseconds / 1_000_000_000
    }
}
