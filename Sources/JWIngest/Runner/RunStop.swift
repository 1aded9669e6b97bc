import JWPlatform

/// Why a run stopped starting items before its end.
public struct RunStop: Sendable, Hashable, CustomStringConvertible {
    /// What stopped it.
    public struct Reason: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The name, as written in manifests, answers and reports.
        public var rawValue: String
        /// Creates a value named `rawValue`.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The text shown in messages and logs.
        public var description: String { rawValue }

        /// The platform refused the account, not one item (a wrong key or secret, a disabled account):
        /// every other item would fail the same way.
        public static let accountRefused = Reason(rawValue: "accountRefused")
        /// As many items failed as the run allows (``IngestRunner/Policy-swift.struct/maxFailures``).
        public static let tooManyFailures = Reason(rawValue: "tooManyFailures")
        /// The run's time budget (`max_duration`) was spent: no new item started after it; running ones
        /// finished the stage they were in. Running again continues.
        public static let budgetReached = Reason(rawValue: "budgetReached")
    }

    /// What stopped it.
    public var reason: Reason
    /// One line saying what happened and what to check.
    public var message: String

    /// Creates a stop.
    public init(reason: Reason, message: String) {
        self.reason = reason
        self.message = message
    }

    /// The text shown in messages and logs.
    public var description: String { message }
}

extension RunStop {
    /// The stop that `error` calls for when it is a refusal of the whole account (see
    /// `APIError.accountWideAdvice`); `nil` for an error of one item.
    static func budget(seconds: Double) -> RunStop {
        let shown =
            seconds >= 3600 && seconds.truncatingRemainder(dividingBy: 3600) == 0
            ? "\(Int(seconds / 3600)) h" : seconds >= 60 ? "\(Int(seconds / 60)) min" : "\(Int(seconds)) s"
        return RunStop(
            reason: .budgetReached,
            message: "the time budget (max_duration \(shown)) is spent: no new item started; running items finished "
                + "their stage; run again to continue")
    }

    static func refusingAccount(_ error: any Error) -> RunStop? {
        guard let refusal = error as? APIError, let advice = refusal.accountWideAdvice else { return nil }
        return RunStop(reason: .accountRefused, message: "\(refusal.code) on \(refusal.call): \(advice)")
    }
}
