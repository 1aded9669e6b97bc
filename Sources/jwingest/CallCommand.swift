import ArgumentParser
import Foundation
import JWPlatform

/// `jwingest call`: signs and sends one API call and prints the decoded answer as JSON.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Sign and send one API call; print the decoded answer as JSON.",
        discussion: """
            PATH is the call's name as the API documents it (/videos/show); /v1 is added.
            Parameters are name=value pairs; a name given twice is sent as a list, in order.
            Whatever format is asked for, the answer is printed as JSON on standard output, with upload
            tokens and S3 signatures shown as <redacted> unless --show-secrets is given.
            An error answer prints the typed error on standard error and exits with 1.

            With --api v2 the call is METHOD PATH (GET when the method is left out): the path from /v2/,
            where {site_id} stands for JW_SITE_ID; name=value pairs go into the query (page, page_length, q,
            sort) and --body gives a JSON body. It is sent with Authorization: Bearer JW_V2_API_SECRET.

            Examples:
              JW_API_KEY=… JW_API_SECRET=… jwingest call /videos/show video_key=tL17msiU --format xml
              JW_SITE_ID=… JW_V2_API_SECRET=… jwingest call --api v2 GET /v2/sites/{site_id}/media/ page_length=5
            """
    )

    @Argument(help: ArgumentHelp("The call, e.g. /videos/show; with --api v2, [METHOD] PATH.", valueName: "path"))
    var path: String

    @Argument(help: ArgumentHelp("Parameters of the call.", valueName: "name=value"))
    var parameters: [String] = []

    @Option(name: .long, help: ArgumentHelp("The answer format: json, xml, php or py.", valueName: "format"))
    var format: String = "json"

    @Flag(name: .long, help: "Send the parameters form-encoded in a POST body instead of the query string.")
    var post = false

    @Flag(name: .long, help: "Print upload tokens and S3 signatures of the answer instead of <redacted>.")
    var showSecrets = false

    @Option(name: .long, help: "Attempts for calls that fail with a retryable error (5xx, 429, no answer).")
    var attempts: Int = 1

    @Option(
        name: .long, help: ArgumentHelp("The API generation: v1 (signed) or v2 (Bearer, JSON).", valueName: "v1|v2"))
    var api: APIGeneration = .v1

    @Option(
        name: .long,
        help: ArgumentHelp("With --api v2: the JSON body, or @FILE to read it from a file.", valueName: "json"))
    var body: String?

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard attempts >= 1 else { throw ValidationError("--attempts must be at least 1") }
        if api == .v2 {
            let (_, _, rest) = try v2Call()
            for parameter in rest where !parameter.contains("=") {
                throw ValidationError("parameter '\(parameter)' is not name=value")
            }
            return
        }
        guard body == nil else { throw ValidationError("--body is for --api v2; v1 calls take name=value pairs") }
        guard AnswerFormatRegistry.standard[AnswerFormatName(rawValue: format)] != nil else {
            let known = AnswerFormatRegistry.standard.names.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown --format '\(format)'; use one of: \(known)")
        }
        for parameter in parameters where !parameter.contains("=") {
            throw ValidationError("parameter '\(parameter)' is not name=value")
        }
    }

    func run() async throws {
        if api == .v2 { return try await runV2() }
        let credentials: APICredentials
        do {
            guard let found = try connection.loadCredentials() else {
                throw UsageError(
                    description: "no credentials: set JW_API_KEY and JW_API_SECRET, or pass --credentials FILE")
            }
            credentials = found
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let configuration = APIClientConfiguration(
            endpoint: connection.endpoint, format: AnswerFormatName(rawValue: format), security: connection.security,
            retry: RetryPolicy(maxAttempts: attempts))
        let client: APIClient
        do {
            client = APIClient(
                credentials: credentials, configuration: configuration, httpClient: try connection.httpClient())
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        try await printAnswer {
            try await client.call(path, parameters: callParameters, method: post ? .post : .get)
        }
    }

    /// Prints the answer `send` gets as JSON on standard output, secrets redacted unless `--show-secrets`;
    /// an error on standard error, with exit status 2 for a refused endpoint or call name, else 1.
    func printAnswer(_ send: () async throws -> APIAnswer) async throws {
        do {
            let answer = try await send()
            let json = try JSONAnswerFormat().encode(showSecrets ? answer.value : Redaction.redact(tree: answer.value))
            FileHandle.standardOutput.write(Data(json + [UInt8(ascii: "\n")]))
        } catch let error as EndpointError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        } catch let error as CallNameError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.failure)
        }
    }

    /// The `name=value` arguments as parameters, in order; the value may contain `=`.
    var callParameters: APIParameters {
        var result = APIParameters()
        for (name, value) in Self.pairs(parameters) { result.append(name, value) }
        return result
    }

    /// `name=value` arguments split at their first `=`, in order.
    static func pairs(_ arguments: [String]) -> [(String, String)] {
        arguments.map { argument in
            let equals = argument.firstIndex(of: "=") ?? argument.endIndex
            let value = equals == argument.endIndex ? "" : String(argument[argument.index(after: equals)...])
            return (String(argument[..<equals]), value)
        }
    }
}
