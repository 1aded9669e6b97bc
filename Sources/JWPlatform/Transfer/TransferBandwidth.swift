import Foundation
import Synchronization

/// The process's one bandwidth limit on reading files to send: every upload (form, S3, v2 direct and
/// parts, thumbnails, tracks) and every re-read for a checksum takes its bytes from the same token
/// bucket, so the limit holds for the whole process whatever the concurrency, and it also bounds disk
/// reads. No limit until ``set(_:)`` is given a schedule.
public final class TransferBandwidth: Sendable {
    /// The process's limiter.
    public static let shared = TransferBandwidth()

    private struct Bucket {
        var schedule: BandwidthSchedule?
        /// When the bytes taken so far are paid for at the current rate.
        var paidUntil: ContinuousClock.Instant = .now
    }

    private let bucket = Mutex(Bucket())

    /// Creates a limiter without a limit (tests make their own).
    public init() {}

    /// Limits reads to `schedule` from now on; `nil` lifts the limit.
    public func set(_ schedule: BandwidthSchedule?) {
        bucket.withLock {
            $0.schedule = schedule
            $0.paidUntil = .now
        }
    }

    /// The schedule in force, if any.
    public var schedule: BandwidthSchedule? { bucket.withLock { $0.schedule } }

    /// Waits until `bytes` may be read under the limit. Up to a tenth of a second of the rate may be
    /// taken at once (a burst), so reads stay smooth and chunked sends keep their pace.
    public func take(_ bytes: Int) async throws {
        let now = ContinuousClock.now
        let wait: Duration? = bucket.withLock { bucket in
            guard let schedule = bucket.schedule, let rate = schedule.bytesPerSecond(at: Date()) else { return nil }
            let burst = Duration.milliseconds(100)
            if bucket.paidUntil < now - burst { bucket.paidUntil = now - burst }
            bucket.paidUntil += .nanoseconds(Int64(Double(bytes) / Double(rate) * 1e9))
            return bucket.paidUntil > now ? bucket.paidUntil - now : nil
        }
        if let wait { try await Task.sleep(for: wait) }
    }
}
