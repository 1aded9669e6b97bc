import Foundation
import HTTPTypes
import Hummingbird
import JWPlatform
import NIOCore

/// Wires the sandbox's endpoints into a Hummingbird router: the signed API under `/v1/…`, the five upload
/// paths, the S3 path, progress, the v2 API under `/v2/…` with its presigned `PUT`s under `/s3/v2/…`, and
/// inspection under `/_sandbox/`.
enum SandboxRouter {
    static let uploadSegments = UploadTarget.all.map(\.pathSegment)

    static func build(context: SandboxContext) -> Router<SandboxRequestContext> {
        let router = Router(context: SandboxRequestContext.self)
        let api = APIEndpoint(context: context)
        let handler: @Sendable (Request, SandboxRequestContext) async throws -> Response = { request, requestContext in
            let path = request.uri.path
            if request.method == .post, path.hasPrefix("/v1/"), path.hasSuffix("/upload") {
                let segment = String(path.dropFirst(4).dropLast(7))
                guard uploadSegments.contains(segment) else { return notFound(path) }
                return await FormUploadEndpoint.handle(
                    request, segment: segment, context: context, channel: requestContext.channel)
            }
            return try await apiCall(request, path: path, api: api, context: context)
        }
        router.get("/v1/**", use: handler)
        router.post("/v1/**", use: handler)
        router.put("/s3/:key") { request, requestContext in
            let channel = requestContext.channel
            let key = try requestContext.parameters.require("key")
            let faults = context.configuration.faults.decide(for: .s3)
            if faults.latency > .zero { try await Task.sleep(for: faults.latency) }
            if let status = faults.status { return S3Endpoint.error(status.code, status.errorCode, "injected fault") }
            return await S3Endpoint.handle(request, assetKey: key, faults: faults, channel: channel, context: context)
        }
        let v2 = V2Endpoint(context: context)
        let v2Handler: @Sendable (Request, SandboxRequestContext) async throws -> Response = { request, _ in
            await v2.handle(request)
        }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("/v2", method: method, use: v2Handler)
            router.on("/v2/**", method: method, use: v2Handler)
        }
        router.put("/s3/v2/**") { request, requestContext in
            let faults = context.configuration.faults.decide(for: .s3)
            if faults.latency > .zero { try await Task.sleep(for: faults.latency) }
            if let status = faults.status { return S3Endpoint.error(status.code, status.errorCode, "injected fault") }
            return await V2ObjectPut.handle(request, faults: faults, channel: requestContext.channel, endpoint: v2)
        }
        router.get("/progress") { request, _ in
            let faults = context.configuration.faults.decide(for: .other("/progress"))
            if faults.latency > .zero { try await Task.sleep(for: faults.latency) }
            if let status = faults.status { return Response(status: .init(code: status.code)) }
            guard let query = try? QueryParameters.parse(request.uri.query ?? "") else {
                return Response(status: .badRequest)
            }
            let answer = await ProgressEndpoint.answer(query: query, context: context)
            return Response(
                status: .init(code: answer.status), headers: [.contentType: "application/javascript"],
                body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
        router.get("/_sandbox/assets") { request, _ in
            guard InspectionEndpoint.mayInspect(request, context) else { return InspectionEndpoint.unauthorized }
            let bytes = try InspectionEndpoint.assetsJSON(await context.state.allAssets())
            return InspectionEndpoint.json(bytes)
        }
        router.get("/_sandbox/calls") { request, _ in
            guard InspectionEndpoint.mayInspect(request, context) else { return InspectionEndpoint.unauthorized }
            return InspectionEndpoint.json(try InspectionEndpoint.talliesJSON(await context.state.tallies))
        }
        return router
    }

    /// A signed API call: parameters from the query and, for POST, the form body.
    static func apiCall(
        _ request: Request, path: String, api: APIEndpoint, context: SandboxContext
    ) async throws
        -> Response
    {
        let call = String(path.dropFirst(3))
        var parameters: APIParameters
        do {
            parameters = try QueryParameters.parse(request.uri.query ?? "")
            if request.method == .post {
                let body = try await APIBodyReader.read(
                    request.body, queryKey: parameters["api_key"], expectedKey: context.configuration.credentials.key)
                parameters.append(contentsOf: try QueryParameters.parse(String(buffer: body)))
            }
        } catch let error as SandboxError {
            let answer = await api.refusal(error, call: call, parameters: [:])
            return try FormUploadEndpoint.encode(answer.tree, status: answer.status, format: answer.format)
        }
        let faults = context.configuration.faults.decide(for: .call(call))
        if faults.latency > .zero { try await Task.sleep(for: faults.latency) }
        if let status = faults.status {
            // An injected failure answers before the call runs, as a 5xx or 429 from the platform would.
            let error = SandboxError(
                APIError.Code(rawValue: status.errorCode), "\(call): injected fault", status: status.code)
            let answer = await api.refusal(error, call: call, parameters: parameters)
            return try FormUploadEndpoint.encode(answer.tree, status: answer.status, format: answer.format)
        }
        let answer = await api.answer(call: call, parameters: parameters, host: request.head.authority)
        return try FormUploadEndpoint.encode(answer.tree, status: answer.status, format: answer.format)
    }

    static func notFound(_ path: String) -> Response {
        Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "no such path: \(path)\n")))
    }
}
