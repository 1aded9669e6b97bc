import Foundation
import HTTPTypes
import Hummingbird
import JWPlatform

/// Answers the v2 Management API under `/v2/…`: fault injection, `Authorization: Bearer`, the site id, the
/// per-route rate limit with its `jw-request-limit` and `jw-request-remaining` headers, then the call.
///
/// Order, as the v1 side: an injected fault answers before anything else; then a missing or wrong Bearer
/// is `401` (not counted); then the call counts in its route's window (`429` with `Retry-After` when the
/// window is used up); then the site id (`404`), the body and the call itself.
struct V2Endpoint: Sendable {
    /// The sandbox, answering with links to the address the request came to.
    var context: SandboxContext
    /// The multipart uploads.
    let uploads: V2UploadRegistry
    /// The presigned links of direct and part `PUT`s.
    let signer: V2LinkSigner

    /// The grant segment of a direct upload, and of a multipart upload (spent by its complete).
    static let directSegment = "v2-direct"
    static let multipartSegment = "v2-multipart"

    init(context: SandboxContext) {
        self.context = context
        uploads = V2UploadRegistry()
        signer = V2LinkSigner(
            accessKey: "SANDBOX" + context.configuration.v2Credentials.siteID.uppercased(),
            lifetime: context.configuration.tokenLifetime)
    }

    /// The path of a direct upload's link.
    static func directPath(token: String) -> String { "/s3/v2/direct/\(token)" }

    /// The path of a part's link.
    static func partPath(uploadID: String, number: Int) -> String { "/s3/v2/parts/\(uploadID)/\(number)" }

    /// The answer to a request under `/v2/`.
    func handle(_ request: Request) async -> Response {
        let endpoint = answering(host: request.head.authority)
        let method = request.method
        guard let path = V2Path.match(request.uri.path) else {
            let route = V2Path.unknownRoute(method)
            return V2Reply(.notFound("no v2 route at \(request.uri.path)")).response(
                headers: await endpoint.peekHeaders(route))
        }
        let route = path.route(method)
        guard path.methods.contains(method) else {
            var headers = await endpoint.peekHeaders(route)
            headers[.allow] = path.methods.map(\.rawValue).joined(separator: ", ")
            let allowed = path.methods.map(\.rawValue).joined(separator: ", ")
            return V2Reply(V2Error(405, "method_not_allowed", "\(path.pattern) answers \(allowed)"))
                .response(headers: headers)
        }
        let faults = context.configuration.faults.decide(for: path.faultScope)
        if faults.latency > .zero { try? await Task.sleep(for: faults.latency) }
        if let status = faults.status {
            // An injected failure answers before the call runs, as a 5xx or 429 from the platform would.
            var headers = await endpoint.peekHeaders(route)
            if status.code == 429 { headers[.retryAfter] = String(await endpoint.retryAfter(route)) }
            return V2Reply(V2Error(status.code, Self.code(forStatus: status.code), "\(route): injected fault"))
                .response(headers: headers)
        }
        do {
            try await endpoint.authenticate(request, path)
        } catch {
            return V2Reply(error).response(headers: await endpoint.peekHeaders(route))
        }
        let limits = context.configuration.rateLimits
        let limit = limits.limit(for: route)
        let window = await context.state.countCall(
            route, limit: limit, window: limits.windowSeconds, now: context.now)
        let refused = limits.isEnabled && window.exceeded
        await context.state.tally(route, refused: refused, at: context.now, window: window.reset)
        var headers = Self.rateHeaders(limit: limit, remaining: window.remaining)
        if refused {
            headers[.retryAfter] = String(endpoint.seconds(until: window.reset))
            let error = V2Error(
                429, "rate_limit_exceeded", "over \(limit) calls a minute on \(route); retry after the window resets")
            return V2Reply(error).response(headers: headers)
        }
        let reply: V2Reply
        do {
            reply = try await endpoint.run(path, method: method, request: request)
        } catch {
            reply = V2Reply(error)
        }
        return reply.response(headers: headers)
    }

    /// Runs the call of `path` with `method`, once authenticated and counted.
    private func run(_ path: V2Path, method: HTTPRequest.Method, request: Request) async throws(V2Error) -> V2Reply {
        if let site = path.site, site != context.configuration.v2Credentials.siteID {
            throw .notFound("site \(site) does not exist, or these credentials are not for it")
        }
        let query: APIParameters
        do {
            query = try QueryParameters.parse(request.uri.query ?? "")
        } catch {
            throw .invalidQuery("query", "not percent-encoded UTF-8")
        }
        var body: APIObject?
        if method != .get && method != .delete { body = try await V2RequestBody.read(request) }
        switch (path.resource, method) {
        case (.mediaCollection, .post): return try await V2MediaCalls.create(body, self)
        case (.mediaCollection, _): return try await V2MediaCalls.list(query, self)
        case (.media(_, let id), .get): return try await V2MediaCalls.get(id, self)
        case (.media(_, let id), .patch): return try await V2MediaCalls.update(id, body, self)
        case (.media(_, let id), _): return try await V2MediaCalls.delete(id, self)
        case (.reupload(_, let id), _): return try await V2MediaCalls.reupload(id, body, self)
        case (.thumbnailCollection, .post): return try await V2ThumbnailCalls.create(body, self)
        case (.thumbnailCollection, _): return try await V2ThumbnailCalls.list(query, self)
        case (.thumbnail(_, let id), .get): return try await V2ThumbnailCalls.get(id, self)
        case (.thumbnail(_, let id), .patch): return try await V2ThumbnailCalls.update(id, body, self)
        case (.thumbnail(_, let id), _): return try await V2ThumbnailCalls.delete(id, self)
        case (.textTrackCollection(_, let media), .post): return try await V2TextTrackCalls.create(media, body, self)
        case (.textTrackCollection(_, let media), _): return try await V2TextTrackCalls.list(media, query, self)
        case (.textTrack(_, let media, let id), .get): return try await V2TextTrackCalls.get(media, id, self)
        case (.textTrack(_, let media, let id), .patch):
            return try await V2TextTrackCalls.update(media, id, body, self)
        case (.textTrack(_, let media, let id), _): return try await V2TextTrackCalls.delete(media, id, self)
        case (.uploadParts(let id), _): return try await V2UploadCalls.listParts(id, query, self)
        case (.uploadComplete(let id), _): return try await V2UploadCalls.complete(id, body, self)
        }
    }

    /// Checks the Bearer: the v2 secret for site resources, the upload's `upload_token` for upload calls.
    ///
    /// - Throws: ``V2Error`` `401`, or `404` for an upload that does not exist.
    private func authenticate(_ request: Request, _ path: V2Path) async throws(V2Error) {
        switch path.resource {
        case .uploadParts(let id), .uploadComplete(let id):
            guard let upload = await uploads.upload(id) else { throw .notFound("upload \(id) does not exist") }
            try V2Bearer.check(request, expected: upload.token, what: "the upload's upload_token")
        case .mediaCollection, .media, .reupload, .thumbnailCollection, .thumbnail, .textTrackCollection, .textTrack:
            let secret = context.configuration.v2Credentials.secret.withRevealedText { $0 }
            try V2Bearer.check(request, expected: secret, what: "the site's v2 API secret")
        }
    }

    /// This endpoint answering a request whose `Host` is `host` (see ``SandboxContext/answering(host:)``).
    private func answering(host: String?) -> V2Endpoint {
        var copy = self
        copy.context = context.answering(host: host)
        return copy
    }

    // MARK: Rate limits

    /// `jw-request-limit` and `jw-request-remaining`.
    static func rateHeaders(limit: Int, remaining: Int) -> HTTPFields {
        var fields = HTTPFields()
        fields[HTTPField.Name("jw-request-limit")!] = String(limit)
        fields[HTTPField.Name("jw-request-remaining")!] = String(remaining)
        return fields
    }

    /// The headers of `route`'s window as it stands, for answers that did not count.
    private func peekHeaders(_ route: String) async -> HTTPFields {
        let limits = context.configuration.rateLimits
        let limit = limits.limit(for: route)
        let window = await context.state.peekCalls(route, limit: limit, window: limits.windowSeconds, now: context.now)
        return Self.rateHeaders(limit: limit, remaining: window.remaining)
    }

    /// Seconds until `route`'s window resets, at least 1.
    private func retryAfter(_ route: String) async -> Int64 {
        let limits = context.configuration.rateLimits
        let window = await context.state.peekCalls(
            route, limit: limits.limit(for: route), window: limits.windowSeconds, now: context.now)
        return seconds(until: window.reset)
    }

    private func seconds(until reset: Int64) -> Int64 {
        max(1, Int64((Double(reset) - context.now.timeIntervalSince1970).rounded(.up)))
    }

    /// The v2 error code of an injected status.
    static func code(forStatus status: Int) -> String {
        switch status {
        case 429: "rate_limit_exceeded"
        case 503: "service_unavailable"
        default: "internal_error"
        }
    }

    // MARK: Query parameters

    /// Refuses query parameters other than `allowed`.
    ///
    /// - Throws: ``V2Error`` `400 invalid_query_parameter` naming the first unknown one.
    static func allowQuery(_ allowed: [String], in query: APIParameters) throws(V2Error) {
        guard let unknown = query.first(where: { !allowed.contains($0.name) }) else { return }
        throw .invalidQuery(unknown.name, "unknown parameter (known: \(allowed.joined(separator: ", ")))")
    }

    /// The whole number `name` in `range`, or `value` when absent.
    static func integer(
        _ name: String, _ query: APIParameters, default value: Int, range: ClosedRange<Int>
    ) throws(V2Error) -> Int {
        guard let text = query[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            let upper = range.upperBound == Int.max ? "" : "\(range.upperBound)"
            throw .invalidQuery(name, "must be a whole number in \(range.lowerBound)...\(upper)")
        }
        return number
    }
}
