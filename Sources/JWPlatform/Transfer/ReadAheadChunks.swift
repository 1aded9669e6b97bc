import NIOCore

/// Chunks of a base sequence produced ahead of the consumer: a task reads (and hashes) up to `depth`
/// chunks while the HTTP client is still sending earlier ones, so reading and hashing overlap with
/// sending instead of alternating with it. Memory stays bounded at `depth` chunks.
struct ReadAheadChunks<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let base: Base
    let depth: Int

    func makeAsyncIterator() -> Iterator {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ByteBuffer.self)
        let gate = ReadAheadGate(permits: Swift.max(1, depth))
        let base = self.base
        let producer = Task {
            do {
                for try await chunk in base {
                    guard await gate.acquire() else { break }
                    continuation.yield(chunk)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in
            // The stream ended or its consumer went away: stop reading.
            producer.cancel()
            Task { await gate.close() }
        }
        return Iterator(chunks: stream.makeAsyncIterator(), gate: gate, stopper: ReadAheadStopper(producer, gate))
    }

    struct Iterator: AsyncIteratorProtocol {
        var chunks: AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator
        let gate: ReadAheadGate
        /// Stops the reader when the consumer drops this iterator half-way (the producer's continuation
        /// keeps the stream alive, so the stream alone would not notice).
        let stopper: ReadAheadStopper

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await chunks.next() else { return nil }
            await gate.release()
            return chunk
        }
    }
}

/// Cancels a read-ahead task and opens its gate when the last iterator holding it goes away, so that an
/// upload abandoned half-way leaks no task, no buffers and no file descriptor.
final class ReadAheadStopper: Sendable {
    private let producer: Task<Void, Never>
    private let gate: ReadAheadGate

    init(_ producer: Task<Void, Never>, _ gate: ReadAheadGate) {
        self.producer = producer
        self.gate = gate
    }

    deinit {
        producer.cancel()
        let gate = self.gate
        Task { await gate.close() }
    }
}

/// Permits for chunks read ahead and not yet taken.
actor ReadAheadGate {
    private var permits: Int
    private var waiting: [CheckedContinuation<Bool, Never>] = []
    private var closed = false

    init(permits: Int) { self.permits = permits }

    /// Waits for a permit; `false` once the consumer is gone.
    func acquire() async -> Bool {
        if closed { return false }
        if permits > 0 {
            permits -= 1
            return true
        }
        return await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            permits += 1
        } else {
            waiting.removeFirst().resume(returning: true)
        }
    }

    func close() {
        closed = true
        for waiter in waiting { waiter.resume(returning: false) }
        waiting.removeAll()
    }
}
