import Hummingbird

/// The `Authorization: Bearer <token>` of a v2 call.
enum V2Bearer {
    /// The token of `request`'s `Authorization` header, `nil` when there is none or it is not `Bearer`.
    static func token(of request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters()
        return token.isEmpty ? nil : String(token)
    }

    /// Checks `request` carries `Bearer <expected>`.
    ///
    /// - Parameter what: What the token is, for the message (`the v2 API secret`, `the upload_token`).
    /// - Throws: ``V2Error`` `401 unauthorized`, saying whether the header was missing or wrong.
    static func check(_ request: Request, expected: String, what: String) throws(V2Error) {
        guard let token = token(of: request) else {
            throw .unauthorized("the request needs Authorization: Bearer <\(what)>")
        }
        guard V2LinkSigner.constantTimeEqual(token, expected) else {
            throw .unauthorized("the Bearer token is not \(what)")
        }
    }
}
