import Foundation

/// An S3-style upload server refused a `PUT`: its status and the `Code` and `Message` of its XML body.
public struct UploadRejectedError: RetryableError, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status.
    public var status: Int
    /// The S3 error code (`AccessDenied`, `SignatureDoesNotMatch`, `EntityTooLarge`, …), or `HTTP<status>`.
    public var code: String
    /// The server's message.
    public var message: String
    /// The upload, with its secrets redacted.
    public var call: String

    /// Creates an error.
    public init(status: Int, code: String, message: String, call: String) {
        self.status = status
        self.code = code
        self.message = message
        self.call = call
    }

    /// Reads `<Code>` and `<Message>` from an S3 error body; anything else keeps the first 200 bytes.
    init(status: Int, xmlBody: [UInt8], call: String) {
        let text = String(decoding: xmlBody.prefix(4096), as: UTF8.self)
        func element(_ name: String) -> String? {
            guard let start = text.range(of: "<\(name)>"), let end = text.range(of: "</\(name)>"),
                start.upperBound <= end.lowerBound
            else { return nil }
            return String(text[start.upperBound..<end.lowerBound])
        }
        self.init(
            status: status, code: element("Code") ?? "HTTP\(status)",
            message: element("Message") ?? Redaction.redact(bodyText: String(text.prefix(200))), call: call)
    }

    /// Server errors and throttling can pass; a refused signature or an expired link cannot.
    public var isRetryable: Bool { status >= 500 || status == 429 || code == "SlowDown" }

    /// The text shown in messages and logs.
    public var description: String { "\(call): \(status) \(code): \(message)" }
}
