import JWPlatform

/// The clients, account and endpoint that a ``IngestRunner/Configuration`` makes for a run: on v1 the
/// signed client of `JW_API_KEY`/`JW_API_SECRET`; on v2 the Bearer client of `JW_SITE_ID`/`JW_V2_API_SECRET`
/// (the v1 client is then made from v1 credentials when there are some, for custom stages that call v1).
/// Neither client retries by itself: the stages retry, once.
struct RunConnection {
    var client: APIClient
    var v2Client: V2Client?
    /// The account the journal is kept for: the API key, or the site id on v2.
    var account: String
    /// The endpoint the journal is kept for.
    var endpoint: String

    /// Resolves the credentials the API generation needs and builds the clients.
    ///
    /// - Throws: `CredentialsError` when the credentials are missing or unreadable, `EndpointError` for an
    ///   endpoint the client refuses.
    init(_ configuration: IngestRunner.Configuration, api: APIGeneration, format: AnswerFormatName) throws {
        let pacer = configuration.rateLimiting.makePacer()
        switch api {
        case .v1:
            guard let credentials = try configuration.credentials.resolve() else {
                throw CredentialsError(
                    source: configuration.credentials.description,
                    reason: "no credentials: set JW_API_KEY and JW_API_SECRET, or give a credentials file")
            }
            endpoint = configuration.endpoint ?? APIClientConfiguration.defaultEndpoint
            account = credentials.key
            client = try Self.v1Client(credentials, endpoint, format, configuration, pacer)
        case .v2:
            guard let credentials = try configuration.credentials.resolveV2() else {
                throw CredentialsError(
                    source: configuration.credentials.v2Description,
                    reason: "no v2 credentials: set JW_SITE_ID and JW_V2_API_SECRET, or give a credentials file "
                        + "with site_id and v2_secret")
            }
            endpoint = configuration.endpoint ?? V2Client.defaultEndpoint
            account = credentials.siteID
            let v2Configuration = APIClientConfiguration(
                endpoint: endpoint, security: configuration.security, retry: .none, pacer: pacer)
            _ = try v2Configuration.resolvedEndpoint()
            v2Client = V2Client(
                credentials: credentials, configuration: v2Configuration, httpClient: configuration.httpClient)
            // Custom stages may still call v1: with v1 credentials when there are some, else the site id and
            // no secret (the platform refuses such calls, which says what is missing).
            let v1 = (try? configuration.credentials.resolve()) ?? APICredentials(key: credentials.siteID, secret: "")
            client = try Self.v1Client(
                v1, configuration.endpoint ?? APIClientConfiguration.defaultEndpoint, format, configuration, pacer)
        }
    }

    private static func v1Client(
        _ credentials: APICredentials, _ endpoint: String, _ format: AnswerFormatName,
        _ configuration: IngestRunner.Configuration, _ pacer: (any CallPacer)?
    ) throws -> APIClient {
        let clientConfiguration = APIClientConfiguration(
            endpoint: endpoint, format: format, security: configuration.security, retry: .none, pacer: pacer)
        _ = try clientConfiguration.resolvedEndpoint()
        return APIClient(
            credentials: credentials, configuration: clientConfiguration, httpClient: configuration.httpClient)
    }
}
