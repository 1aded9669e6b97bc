/// What one container reader found.
public struct ContainerFindings: Sendable, Hashable {
    /// The container.
    public var container: Container
    /// What the file holds.
    public var kind: MediaKind
    /// The duration in seconds, when found.
    public var duration: Double?
    /// Which header or method gave the duration.
    public var durationSource: String?
    /// Why the duration is missing, when it is.
    public var reason: String?

    /// Creates findings.
    public init(
        container: Container, kind: MediaKind, duration: Double? = nil, durationSource: String? = nil,
        reason: String? = nil
    ) {
        self.container = container
        self.kind = kind
        self.duration = duration
        self.durationSource = durationSource
        self.reason = reason
    }
}

/// A reader of one family of containers.
///
/// `recognizes` looks only at the first bytes (at most 4 KiB, given); `probe` may read more through the
/// reader. A reader throws ``ProbeFailure`` for a file that is its format but broken; the caller turns that
/// into an `unreadable` answer with the reason.
public protocol ContainerProbe: Sendable {
    /// Whether the file, whose first bytes are `head`, is of this family.
    func recognizes(head: [UInt8]) -> Bool
    /// Reads the container's kind and duration.
    func probe(_ reader: RandomAccessReader, head: [UInt8]) throws -> ContainerFindings
}
