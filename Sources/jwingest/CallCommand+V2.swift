import ArgumentParser
import AsyncHTTPClient
import Foundation
import JWPlatform

extension APIGeneration: ExpressibleByArgument {}

extension CallCommand {
    /// The method, the path and the `name=value` arguments of a v2 call: `GET /v2/…`, or the path alone.
    func v2Call() throws -> (method: V2Client.Method, path: String, parameters: [String]) {
        if let method = V2Client.Method(rawValue: path.uppercased()) {
            guard let callPath = parameters.first else {
                throw ValidationError("\(path.uppercased()) needs a path, e.g. /v2/sites/{site_id}/media/")
            }
            return (method, callPath, Array(parameters.dropFirst()))
        }
        return (post ? .post : .get, path, parameters)
    }

    /// Sends one v2 call and prints its answer as JSON, secrets redacted unless `--show-secrets`.
    func runV2() async throws {
        let credentials: V2Credentials
        let (method, callPath, rest) = try v2Call()
        let query = Self.pairs(rest)
        let json: APIValue?
        let httpClient: HTTPClient
        do {
            guard let found = try connection.loadV2Credentials() else {
                throw UsageError(
                    description:
                        "no v2 credentials: set JW_SITE_ID and JW_V2_API_SECRET, or pass --credentials FILE with site_id and v2_secret"
                )
            }
            credentials = found
            json = try body.map(Self.jsonBody)
            httpClient = try connection.httpClient()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let configuration = APIClientConfiguration(
            endpoint: connection.v2Endpoint, security: connection.security, retry: RetryPolicy(maxAttempts: attempts))
        let client = V2Client(credentials: credentials, configuration: configuration, httpClient: httpClient)
        try await printAnswer { try await client.call(method, callPath, query: query, body: json) }
    }

    /// `--body`: JSON text, or `@FILE`.
    static func jsonBody(_ given: String) throws -> APIValue {
        var bytes = Array(given.utf8)
        var source = "--body"
        if given.hasPrefix("@") {
            let path = String(given.dropFirst())
            guard let data = FileManager.default.contents(atPath: path) else {
                throw UsageError(description: "--body @\(path): the file cannot be read")
            }
            bytes = Array(data)
            source = "--body @\(path)"
        }
        do {
            return try JSONAnswerFormat().decode(bytes)
        } catch {
            throw UsageError(description: "\(source) is not JSON: \(error)")
        }
    }
}
