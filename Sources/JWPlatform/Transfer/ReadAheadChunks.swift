import NIOCore
import Synchronization

/// Chunks of a base sequence (a file) produced ahead of the consumer (the HTTP client): a reader task
/// reads and hashes up to `depth` chunks while earlier ones are still being sent, so reading and hashing
/// overlap with sending instead of alternating with it. Memory stays bounded at `depth` chunks.
///
/// The upload call owns its lifetime: ``finish()``, called however the request ended, stops the reader
/// (even one waiting for room), which closes the file, and drops the chunks not sent. An HTTP client that
/// stops pulling the body because the server answered early (a refused token, a 5xx, S3
/// `EntityTooLarge`) therefore pins no descriptor and no buffers. The reader starts with the first pull:
/// a request that never sends its body never opens the file.
final class ReadAheadChunks<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable
where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    private let base: Base
    private let depth: Int
    private let state = Mutex(State())

    private struct State {
        var chunks: [ByteBuffer] = []
        /// How the reader ended, once it has: `nil` for the end of the base, or its error.
        var end: (any Error)??
        var closed = false
        var consumer: CheckedContinuation<ByteBuffer?, any Error>?
        var producer: CheckedContinuation<Bool, Never>?
        var reader: Task<Void, Never>?
    }

    init(base: Base, depth: Int) {
        self.base = base
        self.depth = Swift.max(1, depth)
    }

    func makeAsyncIterator() -> Iterator { Iterator(owner: self) }

    struct Iterator: AsyncIteratorProtocol {
        let owner: ReadAheadChunks

        func next() async throws -> ByteBuffer? { try await owner.next() }
    }

    /// Stops the reader and waits for it to end (its file is closed then), dropping every chunk read and
    /// not taken; a consumer still waiting is told that the body ended.
    func finish() async {
        let (producer, consumer, reader) = state.withLock { state in
            state.closed = true
            state.chunks.removeAll()
            defer {
                state.producer = nil
                state.consumer = nil
            }
            return (state.producer, state.consumer, state.reader)
        }
        producer?.resume(returning: false)
        consumer?.resume(throwing: ReadAheadFinished())
        reader?.cancel()
        await reader?.value
    }

    /// The next chunk, waiting for the reader when none is ready; `nil` at the end.
    /// What a pull finds.
    private enum Step {
        case chunk(ByteBuffer, wake: CheckedContinuation<Bool, Never>?)
        case end((any Error)?)
        case wait
    }

    private func next() async throws -> ByteBuffer? {
        let step: Step = state.withLock { state in
            if state.closed { return .end(ReadAheadFinished()) }
            if state.reader == nil { state.reader = Task { await self.read() } }
            if !state.chunks.isEmpty {
                let chunk = state.chunks.removeFirst()
                defer { state.producer = nil }
                return .chunk(chunk, wake: state.producer)
            }
            if let end = state.end { return .end(end) }
            return .wait
        }
        switch step {
        case .chunk(let chunk, let wake):
            wake?.resume(returning: true)
            return chunk
        case .end(let error?):
            throw error
        case .end(nil):
            return nil
        case .wait:
            return try await withCheckedThrowingContinuation { continuation in
                let ready: Result<ByteBuffer?, any Error>? = state.withLock { state in
                    if state.closed { return .failure(ReadAheadFinished()) }
                    if !state.chunks.isEmpty { return .success(state.chunks.removeFirst()) }
                    if let end = state.end { return end.map { .failure($0) } ?? .success(nil) }
                    state.consumer = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }

    /// The reader: waits for room, reads a chunk, hands it on; until the base ends, fails or is stopped.
    private func read() async {
        var iterator = base.makeAsyncIterator()
        do {
            while await room() {
                guard let chunk = try await iterator.next() else { break }
                deliver(chunk)
            }
            end(nil)
        } catch {
            end(error)
        }
    }

    /// Waits until fewer than `depth` chunks are waiting; `false` once finished or cancelled.
    private func room() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let answer: Bool? = state.withLock { state in
                    if state.closed || Task.isCancelled { return false }
                    if state.chunks.count < depth { return true }
                    state.producer = continuation
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            let waiting = state.withLock { state in
                defer { state.producer = nil }
                return state.producer
            }
            waiting?.resume(returning: false)
        }
    }

    private func deliver(_ chunk: ByteBuffer) {
        let consumer: CheckedContinuation<ByteBuffer?, any Error>? = state.withLock { state in
            if state.closed { return nil }
            if let consumer = state.consumer {
                state.consumer = nil
                return consumer
            }
            state.chunks.append(chunk)
            return nil
        }
        consumer?.resume(returning: chunk)
    }

    private func end(_ error: (any Error)?) {
        let consumer = state.withLock { state in
            state.end = .some(error)
            defer { state.consumer = nil }
            return state.consumer
        }
        if let error { consumer?.resume(throwing: error) } else { consumer?.resume(returning: nil) }
    }
}

/// The upload ended (answered, failed or cancelled) while its body was still being read.
struct ReadAheadFinished: Error, CustomStringConvertible {
    var description: String { "the upload ended before its body was sent" }
}
