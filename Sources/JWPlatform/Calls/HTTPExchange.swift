import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One request sent and its whole answer read: the one place where API calls (v1 and v2) and uploads
/// turn the HTTP client's failures into ``APITransportError`` (secrets redacted from its text) and cap
/// the answer's size.
enum HTTPExchange {
    /// What came back.
    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    /// Sends `request`, whose body streams, with `httpClient` and reads its answer, up to `maxAnswerBytes`
    /// (more is a transport error: an upload server's answers are small).
    ///
    /// - Parameter call: The redacted URL, for errors.
    /// - Throws: ``FileReadError`` as the upload body raised it, ``APITransportError`` when no whole
    ///   answer came.
    static func sendStreaming(
        _ request: HTTPClientRequest, with httpClient: HTTPClient, timeout: TimeAmount, maxAnswerBytes: Int,
        call: String
    ) async throws -> Answer {
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: timeout)
        } catch let error as FileReadError {
            throw error
        } catch {
            throw APITransportError(
                call: call, reason: Redaction.redact(bodyText: String(describing: error)),
                beforeSending: APIClient.isConnectionFailure(error))
        }
        do {
            let body = try await response.body.collect(upTo: maxAnswerBytes)
            return Answer(
                status: Int(response.status.code), headers: response.headers, body: Array(body.readableBytesView))
        } catch {
            throw APITransportError(call: call, reason: "the answer broke off: \(error)")
        }
    }

    /// Sends a request whose body is in memory and reads its whole answer, up to `maxAnswerBytes`, within
    /// `timeout` (answer included): the answer is gathered on the connection's event loop and the caller
    /// resumed once, where the async API hands the head and each part of the body over separately (see
    /// ``LoopStartedRequest``). Cancelling the calling task cancels the request.
    ///
    /// - Parameters:
    ///   - call: The call or redacted URL, for errors.
    ///   - answerFormat: For an API call, the format asked for: an answer over `maxAnswerBytes` is then an
    ///     ``UnreadableAnswerError``; for an upload (`nil`), a transport error.
    /// - Throws: ``APITransportError`` when no whole answer came in time, ``UnreadableAnswerError`` for an
    ///   API answer that is too large.
    static func sendWhole(
        url: String, method: HTTPMethod, headers: HTTPHeaders, body: ByteBuffer?, with httpClient: HTTPClient,
        timeout: Duration, maxAnswerBytes: Int, call: String, answerFormat: AnswerFormatName? = nil
    ) async throws -> Answer {
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        do {
            let answer: Answer
            if let pool = JWPlatformHTTPClient.wholeRequestPool(for: httpClient),
                let target = WholeRequestTarget(url: url)
            {
                answer = try await pool.send(
                    method, to: target, headers: headers, body: body, deadline: deadline, limit: maxAnswerBytes)
            } else {
                let request: HTTPClient.Request
                do {
                    request = try HTTPClient.Request(
                        url: url, method: method, headers: headers, body: body.map { .byteBuffer($0) })
                } catch {
                    // As when AsyncHTTPClient refused the URL itself: counted as a failed call, not known unsent.
                    if answerFormat != nil { APICallMetrics.record(route: call, status: nil) }
                    throw APITransportError(call: call, reason: Redaction.redact(bodyText: String(describing: error)))
                }
                let collector = WholeAnswerCollector(limit: maxAnswerBytes)
                do {
                    answer = try await LoopStartedRequest.send(
                        request, with: httpClient, delegate: collector, deadline: deadline)
                } catch {
                    // With the status the collector saw, as the pool reports its failures.
                    throw WholeExchangeFailure(status: collector.status, cause: error)
                }
            }
            if answerFormat != nil { APICallMetrics.record(route: call, status: answer.status) }
            return answer
        } catch let error as APITransportError {
            throw error
        } catch {
            let failure = error as? WholeExchangeFailure ?? WholeExchangeFailure(status: nil, cause: error)
            throw failed(
                failure.cause, status: failure.status, timeout: timeout, maxAnswerBytes: maxAnswerBytes, call: call,
                answerFormat: answerFormat)
        }
    }

    /// The error that `sendWhole` reports for `error`, the answer's status being `status` when its head came;
    /// an API call is counted in the metrics.
    private static func failed(
        _ error: any Error, status: Int?, timeout: Duration, maxAnswerBytes: Int, call: String,
        answerFormat: AnswerFormatName?
    ) -> any Error {
        if let tooLarge = error as? WholeAnswerCollector.TooLarge {
            guard let answerFormat else {
                return APITransportError(
                    call: call, reason: "the answer broke off: larger than \(tooLarge.limit) bytes")
            }
            APICallMetrics.record(route: call, status: tooLarge.status)
            return UnreadableAnswerError(
                call: call, httpStatus: tooLarge.status, format: answerFormat, body: [],
                reason: "the body is larger than \(maxAnswerBytes) bytes")
        }
        if answerFormat != nil { APICallMetrics.record(route: call, status: status) }
        let reason =
            (error as? HTTPClientError) == .deadlineExceeded
            ? "no complete answer within \(timeout)"
            : status == nil
                ? Redaction.redact(bodyText: String(describing: error))
                : "the answer broke off: \(Redaction.redact(bodyText: String(describing: error)))"
        return APITransportError(
            call: call, reason: reason, beforeSending: status == nil && APIClient.isConnectionFailure(error))
    }

    /// Sends an upload whose body streams a file's chunks, read once while `digest` hashes them. However
    /// the request ends, `finish` stops the reader before this returns: a server that answers before
    /// reading the body must not pin the file and its chunks.
    ///
    /// - Returns: The answer, and the MD5 and size of what was sent.
    static func upload(
        _ request: HTTPClientRequest, with httpClient: HTTPClient, maxAnswerBytes: Int, call: String,
        digest: RunningDigest, finish: () async -> Void
    ) async throws -> (Answer, FileDigest) {
        let exchanged: Result<Answer, any Error>
        do {
            exchanged = .success(
                try await sendStreaming(
                    request, with: httpClient, timeout: .hours(24), maxAnswerBytes: maxAnswerBytes, call: call))
        } catch {
            exchanged = .failure(error)
        }
        await finish()
        return (try exchanged.get(), digest.finish())
    }

    /// Throws unless all `expected` bytes were sent: a server may answer before it has read the whole body
    /// (a refused token, a file too large), and its answer, read first, is then the error to report.
    static func ensureWhole(_ sent: FileDigest, expected: Int64, status: Int, call: String) throws {
        guard sent.size == expected else {
            throw APITransportError(
                call: call, reason: "the server answered \(status) after \(sent.size) of \(expected) bytes")
        }
    }
}
