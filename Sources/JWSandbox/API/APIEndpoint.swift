import Foundation
import JWPlatform

/// Answers one signed API call: format, authentication, rate limit, the call itself, and the envelope
/// (`status`, `rate_limit`) that every answer carries, errors included.
struct APIEndpoint: Sendable {
    var context: SandboxContext
    var authenticator: RequestAuthenticator

    init(context: SandboxContext) {
        self.context = context
        self.authenticator = RequestAuthenticator(credentials: context.configuration.credentials)
    }

    typealias Answer = (status: Int, format: AnswerFormatName, tree: APIValue)

    /// The HTTP status, the format and the answer tree of a call.
    ///
    /// - Parameter host: The request's `Host`, which the links of the answer carry when the sandbox
    ///   listens on a wildcard address.
    func answer(call: String, parameters: APIParameters, host: String? = nil) async -> Answer {
        let context = self.context.answering(host: host)
        let format = AnswerFormatName(rawValue: parameters["api_format"] ?? "json")
        guard AnswerFormatRegistry.standard[format] != nil else {
            return await refusal(SandboxError.invalid("api_format", "must be json, xml, php or py"), call: call)
        }
        do {
            try await authenticator.check(parameters, now: context.now, state: context.state)
        } catch let error as SandboxError {
            // Refused before it counted: the block shows the window as it stands.
            return await refusal(error, call: call, format: format)
        } catch {
            return await refusal(SandboxError(.internalError, "sandbox: \(error)"), call: call, format: format)
        }
        let limit = context.configuration.rateLimits.limit(for: call)
        let window = await context.state.countCall(
            call, limit: limit, window: context.configuration.rateLimits.windowSeconds, now: context.now)
        let block = Self.rateLimitBlock(limit: limit, remaining: window.remaining, reset: window.reset)
        let refused = context.configuration.rateLimits.isEnabled && window.exceeded
        await context.state.tally(call, refused: refused, at: context.now, window: window.reset)
        do {
            if refused {
                throw SandboxError(
                    .rateLimitExceeded, "api: over \(limit) calls a minute on \(call); retry after reset")
            }
            guard let handler = CallTable.handlers[call] else {
                throw SandboxError(.notFound, "call: \(call) does not exist")
            }
            let result = try await handler(parameters, context)
            var object = APIObject()
            object["status"] = "ok"
            for member in result.objectValue ?? APIObject() { object[member.key] = member.value }
            object["rate_limit"] = block
            return (200, format, .object(object))
        } catch let error as SandboxError {
            return (error.status, format, Self.withBlock(error.tree, block))
        } catch {
            let failure = SandboxError(.internalError, "sandbox: \(error)")
            return (failure.status, format, Self.withBlock(failure.tree, block))
        }
    }

    /// The answer to a call refused before it ran (bad format, bad signature, an injected fault), with the
    /// route's rate-limit window as it stands.
    func refusal(_ error: SandboxError, call: String, format: AnswerFormatName = .json) async -> Answer {
        let limit = context.configuration.rateLimits.limit(for: call)
        let window = await context.state.peekCalls(
            call, limit: limit, window: context.configuration.rateLimits.windowSeconds, now: context.now)
        let block = Self.rateLimitBlock(limit: limit, remaining: window.remaining, reset: window.reset)
        return (error.status, format, Self.withBlock(error.tree, block))
    }

    /// The same, for a request whose parameters are known.
    func refusal(_ error: SandboxError, call: String, parameters: APIParameters) async -> Answer {
        let format = AnswerFormatName(rawValue: parameters["api_format"] ?? "json")
        return await refusal(error, call: call, format: AnswerFormatRegistry.standard[format] == nil ? .json : format)
    }

    static func rateLimitBlock(limit: Int, remaining: Int, reset: Int64) -> APIValue {
        ["reset": .int(reset), "limit": .int(Int64(limit)), "remaining": .int(Int64(remaining))]
    }

    static func withBlock(_ tree: APIValue, _ block: APIValue) -> APIValue {
        guard case .object(var object) = tree else { return tree }
        object["rate_limit"] = block
        return .object(object)
    }
}
