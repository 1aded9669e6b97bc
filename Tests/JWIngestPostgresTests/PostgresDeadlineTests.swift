import Testing

@testable import JWIngestPostgres

/// The time limit of a run's small queries (no server needed: the operations here stand for queries).
@Suite("a database operation that never answers ends with an error, not a hung worker")
struct PostgresDeadlineTests {
    struct Refused: Error, Equatable {}

    @Test("an operation whose answer never comes, and that ignores cancellation, ends at the limit")
    func neverAnswered() async throws {
        let started = ContinuousClock.now
        do {
            // Like a query whose connection died with it: suspended for ever, deaf to cancellation.
            _ = try await PostgresDeadline.answered("a lease", within: .milliseconds(200)) {
                await withUnsafeContinuation { (_: UnsafeContinuation<Int, Never>) in }
            }
            Issue.record("no error")
        } catch let error as PostgresNoAnswerError {
            #expect(error.operation == "a lease")
            #expect(error.description.contains("did not answer a lease within"))
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test("an answer or an error within the limit is passed through as it is")
    func answered() async throws {
        #expect(try await PostgresDeadline.answered("a heartbeat", within: .seconds(30)) { 42 } == 42)
        await #expect(throws: Refused.self) {
            try await PostgresDeadline.answered("a heartbeat", within: .seconds(30)) { () async throws -> Int in
                throw Refused()
            }
        }
    }

    @Test("cancelling the caller cancels the operation")
    func cancelled() async throws {
        let started = ContinuousClock.now
        let call = Task {
            try await PostgresDeadline.answered("a release", within: .seconds(60)) {
                try await Task.sleep(for: .seconds(60))
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
