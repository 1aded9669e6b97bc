extension IngestEvent {
    /// A set of event kinds: what an observer reads (``IngestObserver/observedKinds``).
    ///
    /// A run builds, queues and hands over only the events that one of its observers reads: a small item
    /// raises about a dozen, and plain progress reads one of them (issue 14).
    public struct Kinds: OptionSet, Sendable, Hashable {
        /// The bits.
        public let rawValue: UInt16

        /// A set from its bits.
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// ``IngestEvent/Kind/runStarted(items:endpoint:)``.
        public static let runStarted = Kinds(rawValue: 1 << 0)
        /// ``IngestEvent/Kind/remoteChecked(items:found:pages:)``.
        public static let remoteChecked = Kinds(rawValue: 1 << 1)
        /// ``IngestEvent/Kind/itemStarted(item:)``.
        public static let itemStarted = Kinds(rawValue: 1 << 2)
        /// ``IngestEvent/Kind/stageStarted(item:stage:)``.
        public static let stageStarted = Kinds(rawValue: 1 << 3)
        /// ``IngestEvent/Kind/stageFinished(item:stage:seconds:)``.
        public static let stageFinished = Kinds(rawValue: 1 << 4)
        /// ``IngestEvent/Kind/bytesSent(item:sent:total:)``.
        public static let bytesSent = Kinds(rawValue: 1 << 5)
        /// ``IngestEvent/Kind/retry(item:stage:attempt:delay:reason:)``.
        public static let retry = Kinds(rawValue: 1 << 6)
        /// ``IngestEvent/Kind/rateLimited(item:stage:route:until:)``.
        public static let rateLimited = Kinds(rawValue: 1 << 7)
        /// ``IngestEvent/Kind/itemFinished(item:outcome:)``.
        public static let itemFinished = Kinds(rawValue: 1 << 8)
        /// ``IngestEvent/Kind/itemAbandoned(item:reason:)``.
        public static let itemAbandoned = Kinds(rawValue: 1 << 9)
        /// ``IngestEvent/Kind/runFinished(ingested:unchanged:failed:interrupted:seconds:)``.
        public static let runFinished = Kinds(rawValue: 1 << 10)

        /// Every kind, including any added later.
        public static let all = Kinds(rawValue: .max)
    }
}

extension IngestEvent.Kind {
    /// This event's kind, as a one-member set.
    public var kinds: IngestEvent.Kinds {
        switch self {
        case .runStarted: .runStarted
        case .remoteChecked: .remoteChecked
        case .itemStarted: .itemStarted
        case .stageStarted: .stageStarted
        case .stageFinished: .stageFinished
        case .bytesSent: .bytesSent
        case .retry: .retry
        case .rateLimited: .rateLimited
        case .itemFinished: .itemFinished
        case .itemAbandoned: .itemAbandoned
        case .runFinished: .runFinished
        }
    }
}

extension IngestObserver {
    /// Every kind: an observer that does not say otherwise receives every event.
    public var observedKinds: IngestEvent.Kinds { .all }
}
