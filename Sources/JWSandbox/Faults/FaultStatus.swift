/// An error answer a fault rule sends instead of running the request: 500, 503 or 429.
///
/// Each carries the API error code, title and HTTP status of API.md §2, so the sandbox answers it in the
/// asked format like any other error. An open set of static members.
public struct FaultStatus: Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status: `500`, `503`, `429`.
    public var code: Int
    /// The platform's error code: `InternalError`, `CallUnavailable`, `RateLimitExceeded`.
    public var errorCode: String
    /// The error's title.
    public var title: String

    /// A status of `code` answered with `errorCode` and `title`.
    ///
    /// - Parameters:
    ///   - code: The HTTP status.
    ///   - errorCode: The platform's error code.
    ///   - title: The error's title.
    public init(code: Int, errorCode: String, title: String) {
        self.code = code
        self.errorCode = errorCode
        self.title = title
    }

    /// `500 InternalError` (rule kind `500`).
    public static let internalError = FaultStatus(code: 500, errorCode: "InternalError", title: "Internal Error")
    /// `503 CallUnavailable` (rule kind `503`).
    public static let callUnavailable = FaultStatus(
        code: 503, errorCode: "CallUnavailable", title: "Call Unavailable")
    /// `429 RateLimitExceeded` (rule kind `429`): the call was not run, as with the real limit.
    public static let rateLimitExceeded = FaultStatus(
        code: 429, errorCode: "RateLimitExceeded", title: "Rate Limit Exceeded")

    /// The statuses a rule kind can name, by the kind's text.
    static let byKind: [String: FaultStatus] = [
        "500": .internalError, "503": .callUnavailable, "429": .rateLimitExceeded,
    ]

    /// The HTTP status as text: `500`.
    public var description: String { String(code) }
}
