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

    /// Sends `request` with `httpClient` and reads its answer, up to `maxAnswerBytes`.
    ///
    /// - Parameters:
    ///   - call: The call or redacted URL, for errors.
    ///   - answerFormat: For an API call, the format asked for: an answer over `maxAnswerBytes` is then an
    ///     ``UnreadableAnswerError``; for an upload (`nil`), a transport error.
    /// - Throws: ``FileReadError`` as the upload body raised it, ``APITransportError`` when no whole
    ///   answer came, ``UnreadableAnswerError`` for an API answer that is too large.
    static func send(
        _ request: HTTPClientRequest, with httpClient: HTTPClient, timeout: TimeAmount, maxAnswerBytes: Int,
        call: String, answerFormat: AnswerFormatName? = nil
    ) async throws -> Answer {
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: timeout)
        } catch let error as FileReadError {
            throw error
        } catch {
            if answerFormat != nil { APICallMetrics.record(route: call, status: nil) }
            throw APITransportError(
                call: call, reason: Redaction.redact(bodyText: String(describing: error)),
                beforeSending: APIClient.isConnectionFailure(error))
        }
        let status = Int(response.status.code)
        // API calls only (an upload's "call" names its link): one series per route.
        if answerFormat != nil { APICallMetrics.record(route: call, status: status) }
        do {
            let body = try await response.body.collect(upTo: maxAnswerBytes)
            return Answer(status: status, headers: response.headers, body: Array(body.readableBytesView))
        } catch let error as NIOTooManyBytesError {
            guard let answerFormat else {
                throw APITransportError(call: call, reason: "the answer broke off: \(error)")
            }
            throw UnreadableAnswerError(
                call: call, httpStatus: status, format: answerFormat, body: [],
                reason: "the body is larger than \(maxAnswerBytes) bytes")
        } catch {
            throw APITransportError(call: call, reason: "the answer broke off: \(error)")
        }
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
                try await send(
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
