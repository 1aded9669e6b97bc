import Foundation
import JWPlatform

/// Answers one signed API call: format, authentication, rate limit, the call itself, and the envelope
/// (`status`, `rate_limit`) every answer carries.
struct APIEndpoint: Sendable {
    var context: SandboxContext
    var authenticator: RequestAuthenticator

    init(context: SandboxContext) {
        self.context = context
        self.authenticator = RequestAuthenticator(credentials: context.configuration.credentials)
    }

    /// The HTTP status, the format and the answer tree of a call.
    func answer(
        call: String, parameters: APIParameters
    ) async -> (status: Int, format: AnswerFormatName, tree: APIValue) {
        let requested = AnswerFormatName(rawValue: parameters["api_format"] ?? "json")
        guard AnswerFormatRegistry.standard[requested] != nil else {
            let error = SandboxError.invalid("api_format", "must be json, xml, php or py")
            return (error.status, .json, error.tree)
        }
        var rateLimit: APIValue = .null
        do {
            try await authenticator.check(parameters, now: context.now, state: context.state)
            if context.configuration.rateLimits.isEnabled {
                let limit = context.configuration.rateLimits.limit(for: call)
                let window = await context.state.countCall(call, limit: limit, now: context.now)
                rateLimit = [
                    "reset": .int(window.reset), "limit": .int(Int64(limit)),
                    "remaining": .int(Int64(window.remaining)),
                ]
                if window.exceeded {
                    throw SandboxError(
                        .rateLimitExceeded, "api: over \(limit) calls a minute on \(call); retry after reset")
                }
            }
            guard let handler = CallTable.handlers[call] else {
                throw SandboxError(.notFound, "call: \(call) does not exist")
            }
            let result = try await handler(parameters, context)
            var object = APIObject()
            object["status"] = "ok"
            for member in result.objectValue ?? APIObject() { object[member.key] = member.value }
            if rateLimit != .null { object["rate_limit"] = rateLimit }
            return (200, requested, .object(object))
        } catch let error as SandboxError {
            var tree = error.tree
            if rateLimit != .null, case .object(var object) = tree {
                object["rate_limit"] = rateLimit
                tree = .object(object)
            }
            return (error.status, requested, tree)
        } catch {
            let failure = SandboxError(.internalError, "sandbox: \(error)")
            return (failure.status, requested, failure.tree)
        }
    }
}
