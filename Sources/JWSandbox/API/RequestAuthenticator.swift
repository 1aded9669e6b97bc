import Foundation
import JWPlatform

/// Checks the `api_` parameters of a call as the platform does (API.md §1): key, timestamp age, nonce,
/// signature (by either sort order) and replay.
struct RequestAuthenticator: Sendable {
    var credentials: APICredentials
    /// A timestamp older than this is refused (27 hours).
    var maximumAge: TimeInterval = 27 * 3600
    /// A signature seen within this window is refused (48 hours).
    var replayWindow: TimeInterval = 48 * 3600

    func check(_ parameters: APIParameters, now: Date, state: SandboxState) async throws {
        guard let key = parameters["api_key"], !key.isEmpty else {
            throw SandboxError(.apiKeyMissing, "api_key: is required")
        }
        guard key == credentials.key else { throw SandboxError(.apiKeyInvalid, "api_key: unknown key") }
        guard let timestampText = parameters["api_timestamp"], !timestampText.isEmpty else {
            throw SandboxError(.timestampMissing, "api_timestamp: is required")
        }
        guard let timestamp = Int64(timestampText) else {
            throw SandboxError(.timestampInvalid, "api_timestamp: not a Unix time")
        }
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= maximumAge else {
            throw SandboxError(.timestampExpired, "api_timestamp: older than 27 hours")
        }
        guard let nonce = parameters["api_nonce"], !nonce.isEmpty else {
            throw SandboxError(.nonceMissing, "api_nonce: is required")
        }
        guard (8...9).contains(nonce.count), nonce.allSatisfy(\.isASCII), nonce.allSatisfy(\.isNumber) else {
            throw SandboxError(.nonceInvalid, "api_nonce: must be 8 or 9 decimal digits")
        }
        guard let signature = parameters["api_signature"], !signature.isEmpty else {
            throw SandboxError(.signatureMissing, "api_signature: is required")
        }
        let documented = APISigner.signature(of: parameters, secret: credentials.secret)
        let pythonOrder = APISigner.signature(of: parameters, secret: credentials.secret, order: .unencodedName)
        guard signature == documented || signature == pythonOrder else {
            throw SandboxError(.signatureInvalid, "api_signature: does not match the parameters")
        }
        guard await state.recordSignature(signature, now: now, window: replayWindow) else {
            throw SandboxError(.signatureInvalid, "api_signature: already used; sign every request anew")
        }
    }
}
