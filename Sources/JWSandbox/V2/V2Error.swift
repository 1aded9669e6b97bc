import JWPlatform

/// An error answer of the sandbox's v2 API: an HTTP status and one `{"code", "description"}` of the
/// platform's `{"errors": [...]}` body (docs.jwplayer.com "HTTP Status Codes").
struct V2Error: Error, Sendable, Hashable {
    var status: Int
    var code: String
    var description: String

    init(_ status: Int, _ code: String, _ description: String) {
        self.status = status
        self.code = code
        self.description = description
    }

    /// The answer body: `{"errors":[{"code":…,"description":…}]}`.
    var tree: APIValue {
        ["errors": [["code": .string(code), "description": .string(description)]]]
    }

    /// `400 invalid_body`, naming the field (`metadata.title: must be a string`).
    static func invalidBody(_ field: String, _ text: String) -> V2Error {
        V2Error(400, "invalid_body", field.isEmpty ? text : "\(field): \(text)")
    }

    /// `400 invalid_query_parameter`, naming the parameter.
    static func invalidQuery(_ name: String, _ text: String) -> V2Error {
        V2Error(400, "invalid_query_parameter", "\(name): \(text)")
    }

    /// `401 unauthorized`.
    static func unauthorized(_ text: String) -> V2Error { V2Error(401, "unauthorized", text) }

    /// `404 not_found`.
    static func notFound(_ text: String) -> V2Error { V2Error(404, "not_found", text) }

    /// `409 conflict`.
    static func conflict(_ text: String) -> V2Error { V2Error(409, "conflict", text) }

    /// `500 internal_error`, for a failure of the sandbox itself.
    static func internalError(_ text: String) -> V2Error { V2Error(500, "internal_error", "sandbox: \(text)") }

    /// The v2 error for a v1 ``SandboxError`` thrown by shared code (the download URL check): its message
    /// names the v1 parameter (`download_url: …`), the v2 error names `field` (`upload.download_url: …`).
    init(_ error: SandboxError, field: String) {
        let parameter = String(field.split(separator: ".").last ?? "") + ": "
        let text = error.message.hasPrefix(parameter) ? String(error.message.dropFirst(parameter.count)) : error.message
        switch error.code {
        case .notFound: self = .notFound(text)
        case .permissionDenied: self = V2Error(403, "forbidden", text)
        case .internalError: self = .internalError(text)
        default: self = .invalidBody(field, text)
        }
    }
}
