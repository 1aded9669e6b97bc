import Crypto
import Dispatch
import JWPlatform
import NIOCore
import Synchronization

/// An MD5 computed on a serial queue of its own, so that hashing a body overlaps whatever the caller does
/// next with it (writing it to disk).
///
/// ``update(_:)`` hands the queue a `ByteBuffer` (retained, not copied) and returns at once, unless more
/// than ``bound`` bytes are already waiting to be hashed: then it waits until the queue has caught up to
/// half of it. Memory stays bounded whatever the body's size, and a writer faster than MD5 is held back
/// instead of piling up buffers. Buffers are hashed in the order given; ``finish()`` waits for the queue
/// and returns the digest of everything given.
///
/// ```swift
/// let md5 = BackgroundMD5()
/// for try await chunk in body {
///     await md5.update(chunk)
///     try store(chunk)
/// }
/// let digest = await md5.finish()
/// ```
///
/// The first ``inlineLimit`` bytes are hashed on the caller, before any buffer goes to the queue: a small
/// body (most uploads of a catalog of short clips) then costs no hop to another thread and back.
///
/// One caller at a time: ``update(_:)`` is not meant to be called from concurrent tasks (the order of their
/// buffers would be undefined).
final class BackgroundMD5: Sendable {
    /// The default ``bound``: 4 MiB.
    static let defaultBound = 4 << 20

    /// The most bytes given to the queue and not yet hashed before ``update(_:)`` waits (a single buffer
    /// larger than this is still taken whole).
    let bound: Int

    /// How many bytes, from the start, are hashed on the caller: 256 KiB.
    static let inlineLimit = 256 << 10

    private let queue = DispatchQueue(label: "jwsandbox.upload.md5")
    /// Touched by the caller until a buffer goes to `queue`, then only on `queue`: the lock is never
    /// contended, it only makes the state `Sendable`.
    private let hasher = Mutex(Insecure.MD5())
    private let flow = Mutex(Flow())

    /// The bytes in flight and the caller waiting for them to drain.
    private struct Flow {
        var pending = 0
        var waiter: CheckedContinuation<Void, Never>?
        /// Bytes hashed on the caller so far; once a buffer has gone to the queue, every later one does.
        var inlineBytes = 0
        var queued = false
    }

    /// Creates an empty hash.
    ///
    /// - Parameter bound: The most bytes waiting to be hashed before ``update(_:)`` waits.
    init(bound: Int = BackgroundMD5.defaultBound) {
        self.bound = max(bound, 1)
    }

    /// Adds `buffer`'s readable bytes to the hash, on the queue; waits first while more than ``bound`` bytes
    /// are in flight.
    func update(_ buffer: ByteBuffer) async {
        let count = buffer.readableBytes
        guard count > 0 else { return }
        let inline = flow.withLock { flow -> Bool in
            guard !flow.queued, flow.inlineBytes + count <= Self.inlineLimit else {
                flow.queued = true
                return false
            }
            flow.inlineBytes += count
            return true
        }
        if inline {
            hasher.withLock { md5 in buffer.withUnsafeReadableBytes { md5.update(bufferPointer: $0) } }
            return
        }
        if flow.withLock({ $0.pending > 0 && $0.pending + count > bound }) {
            await drain()
        }
        flow.withLock { $0.pending += count }
        queue.async { self.hash(buffer) }
    }

    /// The MD5 of every buffer given so far, lower-case hex, once the queue has hashed them all.
    func finish() async -> String {
        if !flow.withLock(\.queued) { return hasher.withLock { Hex.encode($0.finalize()) } }
        return await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: self.hasher.withLock { Hex.encode($0.finalize()) })
            }
        }
    }

    /// The level the bytes in flight must fall to before a waiting caller goes on.
    private var resumeLevel: Int { bound / 2 }

    /// Waits until the bytes in flight are at most ``resumeLevel``.
    private func drain() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = flow.withLock { flow -> Bool in
                if flow.pending <= resumeLevel { return true }
                flow.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Runs on the queue: hashes `buffer`, then wakes the caller if it waits and enough has drained.
    private func hash(_ buffer: ByteBuffer) {
        hasher.withLock { md5 in
            buffer.withUnsafeReadableBytes { md5.update(bufferPointer: $0) }
        }
        let waiter = flow.withLock { flow -> CheckedContinuation<Void, Never>? in
            flow.pending -= buffer.readableBytes
            guard flow.pending <= resumeLevel, let waiter = flow.waiter else { return nil }
            flow.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
