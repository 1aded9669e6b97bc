import JWPlatform

/// An error answer the sandbox gives: one of the platform's codes (API.md §2) with its HTTP status.
struct SandboxError: Error, Sendable {
    var code: APIError.Code
    var message: String
    var status: Int

    init(_ code: APIError.Code, _ message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status ?? APIError.Code.documentedStatuses[code] ?? 400
    }

    /// The title the platform gives each code.
    var title: String {
        switch code {
        case .notFound: return "Not Found"
        case .parameterMissing: return "Missing Parameter"
        case .parameterEmpty: return "Empty Parameter"
        case .parameterInvalid: return "Invalid Parameter"
        case .apiKeyMissing, .apiKeyInvalid: return "Invalid API Key"
        case .timestampExpired: return "Timestamp Expired"
        case .signatureInvalid, .signatureMissing: return "Invalid Signature"
        case .rateLimitExceeded: return "Rate Limit Exceeded"
        case .permissionDenied: return "Permission Denied"
        default: return code.rawValue
        }
    }

    /// The answer tree.
    var tree: APIValue {
        ["status": "error", "code": .string(code.rawValue), "title": .string(title), "message": .string(message)]
    }

    static func missing(_ name: String) -> SandboxError { SandboxError(.parameterMissing, "\(name): is required") }
    static func invalid(_ name: String, _ text: String) -> SandboxError {
        SandboxError(.parameterInvalid, "\(name): \(text)")
    }
    static func notFound(_ name: String, _ key: String) -> SandboxError {
        SandboxError(.notFound, "\(name): no item with key \(key.debugDescription)")
    }
}
