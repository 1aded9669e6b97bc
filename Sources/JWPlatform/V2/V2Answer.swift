import Foundation
import NIOHTTP1

/// Reads v2 answers: JSON objects, errors in the v2 shape, rate limits from the headers.
enum V2Answer {
    /// The answer of `route`, or the error it says.
    ///
    /// - Throws: ``APIError`` for a status of 400 or more: the first of `errors` gives the code and
    ///   description; a `429` is always ``APIError/Code-swift.struct/rateLimitExceeded``, with the window from
    ///   `Retry-After` or the `X-RateLimit-*` headers. ``UnreadableAnswerError`` for a body that is not a
    ///   JSON object (an HTML page from a proxy), except an empty body of a success (`204`).
    static func read(route: String, httpStatus: Int, headers: HTTPHeaders, body: [UInt8]) throws -> APIAnswer {
        let rateLimit = Self.rateLimit(headers, status: httpStatus)
        let tree: APIValue
        if body.isEmpty && httpStatus < 400 {
            tree = .object(APIObject())
        } else {
            do {
                tree = try JSONAnswerFormat().decode(body)
            } catch {
                let reason = body.isEmpty ? "the body is empty" : String(describing: error)
                if httpStatus == 429 { throw Self.error(route, httpStatus, nil, rateLimit) }
                throw UnreadableAnswerError(
                    call: route, httpStatus: httpStatus, format: .json, body: body, reason: reason)
            }
        }
        if httpStatus >= 400 { throw Self.error(route, httpStatus, tree, rateLimit) }
        guard tree.objectValue != nil else {
            throw UnreadableAnswerError(
                call: route, httpStatus: httpStatus, format: .json, body: body, reason: "the answer is not an object")
        }
        return APIAnswer(call: route, httpStatus: httpStatus, value: tree, rateLimit: rateLimit)
    }

    /// The error of an answer with a status of 400 or more.
    static func error(_ route: String, _ status: Int, _ tree: APIValue?, _ rateLimit: RateLimit?) -> APIError {
        let first = tree?["errors"]?.arrayValue?.first
        let given = first?["code"]?.text ?? tree?["code"]?.text
        let code: APIError.Code
        switch status {
        case 429: code = .rateLimitExceeded
        default: code = given.map(APIError.Code.init(rawValue:)) ?? APIError.Code(rawValue: "HTTP\(status)")
        }
        let description = first?["description"]?.text ?? tree?["message"]?.text ?? ""
        return APIError(
            code: code, title: given ?? "HTTP \(status)", message: description, httpStatus: status, call: route,
            rateLimit: rateLimit ?? (status == 429 ? RateLimit(limit: 0, remaining: 0, reset: Date()) : nil))
    }

    /// The window the headers state: the platform's `jw-request-limit` and `jw-request-remaining` (or
    /// `X-RateLimit-Limit`, `-Remaining`), `X-RateLimit-Reset` (Unix seconds, or seconds from now when
    /// small), and `Retry-After` (seconds, or an HTTP date) for a refusal.
    static func rateLimit(_ headers: HTTPHeaders, status: Int) -> RateLimit? {
        func number(_ names: String...) -> Int64? {
            names.lazy.compactMap { headers.first(name: $0) }.first.flatMap {
                Int64($0.trimmingCharacters(in: .whitespaces))
            }
        }
        let limit = number("jw-request-limit", "X-RateLimit-Limit")
        let remaining = number("jw-request-remaining", "X-RateLimit-Remaining")
        var reset: Date?
        if let text = headers.first(name: "X-RateLimit-Reset"),
            let value = Double(text.trimmingCharacters(in: .whitespaces)),
            value.isFinite, value >= 0
        {
            // A small number is a delay in seconds; a large one, a Unix time.
            reset = value < 1_000_000_000 ? Date().addingTimeInterval(value) : Date(timeIntervalSince1970: value)
        }
        if let text = headers.first(name: "Retry-After")?.trimmingCharacters(in: .whitespaces) {
            if let seconds = Double(text), seconds.isFinite, seconds >= 0 {
                reset = Date().addingTimeInterval(seconds)
            } else if let date = Self.httpDate(text) {
                reset = date
            }
        }
        guard limit != nil || remaining != nil || reset != nil else { return nil }
        let remainingNow = status == 429 ? 0 : (remaining ?? 1)
        return RateLimit(
            limit: limit ?? max(remainingNow, 1), remaining: remainingNow, reset: reset ?? Date().addingTimeInterval(60)
        )
    }

    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}

extension APIAnswer {
    /// An answer already read.
    init(call: String, httpStatus: Int, value: APIValue, rateLimit: RateLimit?) {
        self.call = call
        self.httpStatus = httpStatus
        self.value = value
        self.rateLimit = rateLimit
    }
}
