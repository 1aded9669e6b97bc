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
            // The consumer went away (a dropped connection, a cancelled task): stop reading.
            producer.cancel()
            Task { await gate.close() }
        }
        return Iterator(chunks: stream.makeAsyncIterator(), gate: gate)
    }

    struct Iterator: AsyncIteratorProtocol {
        var chunks: AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator
        let gate: ReadAheadGate

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await chunks.next() else { return nil }
            await gate.release()
            return chunk
        }
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
