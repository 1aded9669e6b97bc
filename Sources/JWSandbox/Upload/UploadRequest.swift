import Foundation
import JWPlatform

/// The query of an upload URL (API.md §3), checked against the grant its token names.
struct UploadRequest: Sendable {
    var format: AnswerFormatName
    var key: String
    var token: String
    var redirect: UploadRedirect?

    /// Reads the query of an upload to `segment`.
    init(query: APIParameters) throws {
        format = AnswerFormatName(rawValue: query["api_format"] ?? "json")
        guard AnswerFormatRegistry.standard[format] != nil else {
            format = .json
            throw SandboxError.invalid("api_format", "must be json, xml, php or py")
        }
        guard let key = query["key"], !key.isEmpty else { throw SandboxError.missing("key") }
        guard let token = query["token"], !token.isEmpty else { throw SandboxError.missing("token") }
        self.key = key
        self.token = token
        if let address = query["redirect_address"] {
            let parts = URLComponents(string: address)
            guard let scheme = parts?.scheme, ["http", "https"].contains(scheme.lowercased()), parts?.host != nil else {
                throw SandboxError.invalid("redirect_address", "must be http(s)://host/path")
            }
            var redirectQuery: [APIParameters.Parameter] = []
            for parameter in query where parameter.name.hasPrefix("redirect_query.") {
                let name = String(parameter.name.dropFirst("redirect_query.".count))
                guard !name.isEmpty, !redirectQuery.contains(where: { $0.name == name }) else {
                    throw SandboxError.invalid(parameter.name, "redirect_query names must be unique and not empty")
                }
                redirectQuery.append(.init(name: name, value: parameter.value))
            }
            var keyInPath: Bool?
            if let text = query["key_in_path"] {
                switch text.lowercased() {
                case "true", "1": keyInPath = true
                case "false", "0": keyInPath = false
                default: throw SandboxError.invalid("key_in_path", "must be True or False")
                }
            }
            redirect = UploadRedirect(address: address, query: redirectQuery, keyInPath: keyInPath)
        }
    }

    /// The grant behind the token, checked: known, for this key and path, unused, not expired.
    func validGrant(segment: String, context: SandboxContext) async throws -> UploadGrant {
        guard let grant = await context.state.grant(for: token) else {
            throw SandboxError(.permissionDenied, "token: unknown upload token")
        }
        guard grant.segment == segment else {
            throw SandboxError(.permissionDenied, "token: issued for /v1/\(grant.segment)/upload, not this path")
        }
        guard grant.uploadKey == key else { throw SandboxError.invalid("key", "does not match the token's link") }
        guard !grant.used else { throw SandboxError(.permissionDenied, "token: already used; ask for a new link") }
        guard context.now.timeIntervalSince(grant.issuedAt) <= context.configuration.tokenLifetime else {
            throw SandboxError(.permissionDenied, "token: expired; ask for a new link")
        }
        return grant
    }

    /// Where the server sends the browser: the address, `/<key>` appended or `video_key=<key>` added, and
    /// every `redirect_query` parameter.
    func redirectLocation(for assetKey: String) -> (location: String, tree: APIValue)? {
        guard let redirect else { return nil }
        var address = redirect.address
        var query = APIParameters()
        if redirect.keyInPath == true {
            if address.hasSuffix("/") { address.removeLast() }
            address += "/" + PercentEncoding.encode(assetKey)
        } else {
            query.append("video_key", assetKey)
        }
        for parameter in redirect.query { query.append(parameter.name, parameter.value) }
        let separator = address.contains("?") ? "&" : "?"
        let location = query.isEmpty ? address : address + separator + query.encodedQuery
        var queryTree = APIObject()
        for parameter in query { queryTree[parameter.name] = .string(parameter.value) }
        return (location, ["address": .string(address), "query": .object(queryTree)])
    }
}
