/// The value of a `bw` fault: bytes a second, written `20M` (MiB), `512K` (KiB), `1G` (GiB) or a plain
/// number of bytes.
enum FaultBandwidth {
    /// Bytes a second from `text`, or `nil` when it is not a positive size.
    static func parse(_ text: some StringProtocol) -> Int64? {
        var digits = Substring(text)
        var unit: Int64 = 1
        switch digits.last?.uppercased() {
        case "K": unit = 1 << 10
        case "M": unit = 1 << 20
        case "G": unit = 1 << 30
        default: break
        }
        if unit != 1 { digits = digits.dropLast() }
        guard let number = Int64(digits), number > 0 else { return nil }
        let (rate, overflow) = number.multipliedReportingOverflow(by: unit)
        return overflow ? nil : rate
    }

    /// The shortest text that ``parse(_:)`` reads back to `rate`.
    static func format(_ rate: Int64) -> String {
        for (suffix, unit) in [("G", Int64(1) << 30), ("M", 1 << 20), ("K", 1 << 10)] where rate % unit == 0 {
            return "\(rate / unit)\(suffix)"
        }
        return String(rate)
    }
}

/// Holds a request body to a `bw` fault's rate: after each chunk it waits until the bytes read so far
/// would have taken that long at the rate.
struct BodyThrottle {
    let bytesPerSecond: Int64?
    private let started = ContinuousClock.now

    init(_ bytesPerSecond: Int64?) { self.bytesPerSecond = bytesPerSecond }

    /// Waits, if needed, after `total` bytes of the body were read.
    func pace(afterTotal total: Int64) async {
        guard let bytesPerSecond, bytesPerSecond > 0 else { return }
        let due = started + .nanoseconds(Int64(Double(total) / Double(bytesPerSecond) * 1e9))
        let now = ContinuousClock.now
        if due > now { try? await Task.sleep(for: due - now) }
    }
}
