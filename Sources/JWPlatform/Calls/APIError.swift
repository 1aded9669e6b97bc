/// An error that says whether trying again can help.
///
/// The retry policy retries only errors for which ``isRetryable`` is `true`.
public protocol RetryableError: Error {
    /// Whether the same request, sent again later, may succeed.
    var isRetryable: Bool { get }
}

/// An error answer of the platform: `status: error` with a code, a title and a message (API.md §2).
public struct APIError: RetryableError, Sendable, Hashable, CustomStringConvertible {
    /// The platform's error code. An open set: codes not listed here are kept as they come.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The name, as written in manifests, answers and reports.
        public var rawValue: String
        /// Creates a value named `rawValue`.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The text shown in messages and logs.
        public var description: String { rawValue }

        /// The asset or call does not exist (404).
        public static let notFound = Code(rawValue: "NotFound")
        /// A required parameter is missing (400).
        public static let parameterMissing = Code(rawValue: "ParameterMissing")
        /// A parameter is empty (400).
        public static let parameterEmpty = Code(rawValue: "ParameterEmpty")
        /// A parameter has a value the call refuses (400).
        public static let parameterInvalid = Code(rawValue: "ParameterInvalid")
        /// A parameter is not valid percent-encoded UTF-8 (400).
        public static let parameterEncodingError = Code(rawValue: "ParameterEncodingError")
        /// No `api_key` (400).
        public static let apiKeyMissing = Code(rawValue: "ApiKeyMissing")
        /// The platform does not know the key (400).
        public static let apiKeyInvalid = Code(rawValue: "ApiKeyInvalid")
        /// No `api_timestamp` (400).
        public static let timestampMissing = Code(rawValue: "TimestampMissing")
        /// The timestamp is not Unix seconds (400).
        public static let timestampInvalid = Code(rawValue: "TimestampInvalid")
        /// The timestamp is older than the platform accepts: check the clock (403).
        public static let timestampExpired = Code(rawValue: "TimestampExpired")
        /// No `api_nonce` (400).
        public static let nonceMissing = Code(rawValue: "NonceMissing")
        /// The nonce is not 8 or 9 digits (400).
        public static let nonceInvalid = Code(rawValue: "NonceInvalid")
        /// No `api_signature` (400).
        public static let signatureMissing = Code(rawValue: "SignatureMissing")
        /// The signature does not match: a wrong secret, or one seen before (400).
        public static let signatureInvalid = Code(rawValue: "SignatureInvalid")
        /// The account or token may not do this (403).
        public static let permissionDenied = Code(rawValue: "PermissionDenied")
        /// The asset exists already (409).
        public static let itemAlreadyExists = Code(rawValue: "ItemAlreadyExists")
        /// The asset is not in a state that allows the call, e.g. a new file for a video that is not ready (412).
        public static let preconditionFailed = Code(rawValue: "PreconditionFailed")
        /// The upload could not be stored (400).
        public static let fileUploadFailed = Code(rawValue: "FileUploadFailed")
        /// The file is not the size the create declared (400).
        public static let fileSizeInvalid = Code(rawValue: "FileSizeInvalid")
        /// The file is not the MD5 the create declared (400).
        public static let digestInvalid = Code(rawValue: "DigestInvalid")
        /// Over the route's calls a minute; the call did not run: retry after `reset` (429).
        public static let rateLimitExceeded = Code(rawValue: "RateLimitExceeded")
        /// The call failed on the platform (500).
        public static let callFailed = Code(rawValue: "CallFailed")
        /// An internal error of the platform (500).
        public static let internalError = Code(rawValue: "InternalError")
        /// A database error of the platform (500).
        public static let databaseError = Code(rawValue: "DatabaseError")
        /// The call is unavailable for now; it did not run (503).
        public static let callUnavailable = Code(rawValue: "CallUnavailable")
        /// The call is not implemented; no retry helps (501).
        public static let notImplemented = Code(rawValue: "NotImplemented")

        /// Every code of API.md §2 with the HTTP status the platform answers it with.
        public static let documentedStatuses: [Code: Int] = [
            .notFound: 404, .parameterMissing: 400, .parameterEmpty: 400, .parameterInvalid: 400,
            .parameterEncodingError: 400, .apiKeyMissing: 400, .apiKeyInvalid: 400, .timestampMissing: 400,
            .timestampInvalid: 400, .timestampExpired: 403, .nonceMissing: 400, .nonceInvalid: 400,
            .signatureMissing: 400, .signatureInvalid: 400, .permissionDenied: 403, .itemAlreadyExists: 409,
            .preconditionFailed: 412, .fileUploadFailed: 400, .fileSizeInvalid: 400, .digestInvalid: 400,
            .rateLimitExceeded: 429, .callFailed: 500, .internalError: 500, .databaseError: 500,
            .callUnavailable: 503, .notImplemented: 501,
        ]
    }

    /// The code, e.g. `ParameterMissing`.
    public var code: Code
    /// The title the platform gave, e.g. `Missing parameter`.
    public var title: String
    /// The message, usually `"<param>: <text>"`.
    public var message: String
    /// The HTTP status of the answer.
    public var httpStatus: Int
    /// The call that failed, e.g. `/videos/create`.
    public var call: String
    /// The rate-limit block of the answer, when it had one (a 429 says when the window renews).
    public var rateLimit: RateLimit?

    /// Creates an error.
    public init(
        code: Code, title: String, message: String, httpStatus: Int, call: String, rateLimit: RateLimit? = nil
    ) {
        self.code = code
        self.title = title
        self.message = message
        self.httpStatus = httpStatus
        self.call = call
        self.rateLimit = rateLimit
    }

    /// `true` for `RateLimitExceeded` (the call was not executed), for every 5xx status and for the
    /// server-side codes (`CallFailed`, `InternalError`, `DatabaseError`, `CallUnavailable`); `false` for
    /// signature, parameter, permission and not-found errors, which fail the same way every time, and for
    /// `NotImplemented` (501), which no retry can change.
    public var isRetryable: Bool {
        if code == .notImplemented { return false }
        if code == .rateLimitExceeded || httpStatus >= 500 { return true }
        return [.callFailed, .internalError, .databaseError, .callUnavailable].contains(code)
    }

    /// The text shown in messages and logs.
    public var description: String {
        let detail = message.isEmpty ? title : "\(title): \(message)"
        return "\(call) failed: \(code) (HTTP \(httpStatus)) \(detail)"
    }

    /// What the user must check when this error concerns the account and every call, not one item: an
    /// unknown or missing key, a refused signature (a wrong secret), an expired timestamp (this machine's
    /// clock), or a permission refused on an API call (an account disabled or a key without the right).
    /// `nil` for an error of one item or one upload (a used upload token is refused with
    /// `PermissionDenied` by the upload server, not the API).
    public var accountWideAdvice: String? {
        if call.contains(" /v2/"), !call.contains("/v2/uploads/"), httpStatus == 401 || httpStatus == 403 {
            return "the platform refused the v2 secret for \(call): check JW_V2_API_SECRET and JW_SITE_ID (or the "
                + "--credentials file's v2_secret and site_id) and the endpoint"
        }
        switch code {
        case .apiKeyMissing, .apiKeyInvalid:
            return "the platform does not know this API key: check JW_API_KEY and JW_API_SECRET (or the "
                + "--credentials file) and the endpoint"
        case .signatureMissing, .signatureInvalid:
            return "the platform refused the signature: check that JW_API_SECRET (or the --credentials file) "
                + "is the secret of JW_API_KEY"
        case .timestampExpired, .timestampInvalid:
            return "the platform refused the request's time: check this machine's clock (JW_API_KEY and "
                + "JW_API_SECRET are not the cause)"
        case .permissionDenied where !call.hasSuffix("/upload"):
            return "the platform refused \(call) for this account: check that the account is active and that "
                + "the key of JW_API_KEY/JW_API_SECRET may use the Management API"
        default:
            return nil
        }
    }
}

/// An answer whose body is not in the format that was asked for: an HTML 502 page from a proxy, an
/// empty body, a truncated one.
public struct UnreadableAnswerError: RetryableError, Sendable, Hashable, CustomStringConvertible {
    /// The call, e.g. `/videos/show`, or the redacted upload URL.
    public var call: String
    /// The HTTP status of the answer.
    public var httpStatus: Int
    /// The format that was asked for.
    public var format: AnswerFormatName
    /// The first 200 bytes of the body, as text (invalid UTF-8 shown as U+FFFD), with the values of
    /// secret members (`token`, `Signature`) replaced by `<redacted>`.
    public var bodyPrefix: String
    /// The body's full length in bytes.
    public var bodyLength: Int
    /// Why the reader refused it.
    public var reason: String

    /// Creates an error from the body.
    public init(call: String, httpStatus: Int, format: AnswerFormatName, body: [UInt8], reason: String) {
        self.call = call
        self.httpStatus = httpStatus
        self.format = format
        self.bodyPrefix = Redaction.redact(bodyText: String(decoding: body.prefix(200), as: UTF8.self))
        self.bodyLength = body.count
        self.reason = reason
    }

    /// `true` for a 5xx status (a proxy or the service failed on the way) and for a 429 from a proxy,
    /// `false` otherwise.
    public var isRetryable: Bool { httpStatus >= 500 || httpStatus == 429 }

    /// The text shown in messages and logs.
    public var description: String {
        let shown = bodyPrefix.isEmpty ? "an empty body" : "\(bodyLength) bytes starting \(bodyPrefix.debugDescription)"
        return "\(call): HTTP \(httpStatus) answer is not \(format) (\(reason)); got \(shown)"
    }
}

/// The request never got an answer: the connection was refused, reset or timed out.
public struct APITransportError: RetryableError, Sendable, CustomStringConvertible {
    /// The call, or the redacted URL.
    public var call: String
    /// What the HTTP client reported.
    public var reason: String
    /// Whether the failure came before the request was sent (no connection could be made), so that the
    /// server surely did not run it: then even a call that creates something may be sent again.
    public var beforeSending: Bool

    /// Creates an error.
    public init(call: String, reason: String, beforeSending: Bool = false) {
        self.call = call
        self.reason = reason
        self.beforeSending = beforeSending
    }

    /// Always `true`: a transport fault may be gone on the next attempt.
    public var isRetryable: Bool { true }

    /// The text shown in messages and logs.
    public var description: String { "\(call): no answer (\(reason))" }
}

/// An answer that is well formed but lacks what the call promises (no `media.key` in a create answer).
public struct AnswerShapeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call whose answer it is.
    public var call: String
    /// The path in the tree, e.g. `media.key`.
    public var path: String
    /// What was expected there.
    public var expected: String
    /// What was found (a short description, never a secret).
    public var seen: String

    /// Creates an error.
    public init(call: String, path: String, expected: String, seen: String) {
        self.call = call
        self.path = path
        self.expected = expected
        self.seen = seen
    }

    /// The text shown in messages and logs.
    public var description: String { "\(call) answer: expected \(expected) at '\(path)', found \(seen)" }
}
