import Foundation
import Hummingbird
import JWPlatform
import NIOCore

/// `PUT /s3/<key>?AWSAccessKeyId=…&Expires=…&Signature=…` (API.md §4): the presigned upload. Checks the
/// signature and expiry, refuses more than 5 GiB by `Content-Length` before reading, stores the body while
/// hashing it, and answers `ETag: "<md5>"` with no body. Errors are S3-style XML.
enum S3Endpoint {
    static let maximumSize: Int64 = 5 * 1024 * 1024 * 1024

    static func handle(
        _ request: Request, assetKey: String, faults: FaultDecision, channel: any Channel, context: SandboxContext
    ) async -> Response {
        guard let query = try? QueryParameters.parse(request.uri.query ?? "") else {
            return error(400, "InvalidArgument", "The query is not percent-encoded UTF-8.")
        }
        // A presigned URL is signed for the bare PUT: headers that S3 would sign in break it (API.md §4).
        let signedHeaders = request.headers.map { $0.name.canonicalName.lowercased() }.filter {
            $0 == "content-type" || $0 == "content-md5" || $0.hasPrefix("x-amz-")
        }
        guard signedHeaders.isEmpty else {
            return error(
                403, "SignatureDoesNotMatch",
                "The request signature does not cover \(signedHeaders.joined(separator: ", ")); send only Content-Length."
            )
        }
        guard query["AWSAccessKeyId"] == context.configuration.credentials.key else {
            return error(403, "InvalidAccessKeyId", "The AWS access key id you provided does not exist.")
        }
        guard let signature = query["Signature"], let token = SandboxContext.token(forS3Signature: signature),
            let grant = await context.state.grant(for: token), grant.segment == "s3", grant.assetKey == assetKey
        else {
            return error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match.")
        }
        let expiry = Int64((grant.issuedAt.timeIntervalSince1970 + context.configuration.tokenLifetime).rounded(.down))
        guard query["Expires"] == String(expiry) else {
            return error(403, "SignatureDoesNotMatch", "Expires does not match the signature.")
        }
        guard context.now.timeIntervalSince1970 <= Double(expiry) else {
            return error(403, "AccessDenied", "Request has expired")
        }
        guard !grant.used else { return error(403, "AccessDenied", "This upload link was used already.") }
        let body = await PresignedBody.receive(
            request, maximumSize: maximumSize,
            storeAt: context.storage.appendingPathComponent(".s3-\(UUID().uuidString)"), faults: faults,
            channel: channel)
        let (writer, md5): (StoredFileWriter, String)
        switch body {
        case .refused(let answer): return answer
        case .stored(let stored, let digest): (writer, md5) = (stored, digest)
        }
        if let refusal = await PresignedBody.record(
            token: token, assetKey: assetKey, writer: writer, md5: md5, context: context)
        {
            return refusal
        }
        let shown = faults.wrongMD5 ? FaultDecision.wrongMD5(for: md5) : md5
        return Response(status: .ok, headers: [.eTag: "\"\(shown)\""])
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> Response {
        let body =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(message)</Message></Error>"
        return Response(
            status: .init(code: status), headers: [.contentType: "application/xml"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Reads `name=value&…` query strings and form bodies into parameters, percent-decoded, in order.
enum QueryParameters {
    /// - Throws: ``SandboxError`` `ParameterEncodingError` for a `%` not followed by two hex digits or
    ///   bytes that are not UTF-8, naming the parameter.
    static func parse(_ text: String) throws -> APIParameters {
        var parameters = APIParameters()
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentEncoding.decode(parts[0], plusIsSpace: true) else {
                throw SandboxError(.parameterEncodingError, "\(parts[0]): the name is not percent-encoded UTF-8")
            }
            guard let value = parts.count > 1 ? PercentEncoding.decode(parts[1], plusIsSpace: true) : "" else {
                throw SandboxError(.parameterEncodingError, "\(name): the value is not percent-encoded UTF-8")
            }
            parameters.append(name, value)
        }
        return parameters
    }
}
