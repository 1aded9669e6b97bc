import ArgumentParser
import Foundation
import JWIngest
import JWPlatform

/// `jwingest check MANIFEST`: compares every item with the platform, sending nothing.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compare every item with what the platform holds, without sending anything.",
        discussion: """
            Like rclone check: each item's video (the one the journal records, else the one carrying its \
            ingest id) is shown by the platform and its MD5 and size compared with the local file's (read \
            once). Lines: "= id" equal, "* id" different (other bytes, or a file the platform refused), \
            "- id" missing (no video carries it), "? id" not found (the journal's video is gone), "~ id" not \
            checked (account images and skins). On v2 the platform shows no MD5: a media with a file counts \
            as equal and the line says so. Exit codes: 0 every item equal; 1 any difference; 2 usage error.

            Example: jwingest check manifests/nightly.yaml --report check.json
            """)

    @Argument(help: "The manifest: .yaml, .yml, .json or .csv.") var manifest: String
    @OptionGroup(title: "Manifest options") var overrideOptions: ManifestOverrideOptions
    @OptionGroup(title: "Picking items") var picking: ItemPickingOptions
    @Option(help: ArgumentHelp("Write the results as JSON to this file.", valueName: "file.json")) var report: String?
    @Option(help: ArgumentHelp("The journal (default: beside the manifest).", valueName: "path|url"))
    var journal: String?
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let url = URL(fileURLWithPath: manifest)
        var loaded: Manifest
        let entries: [String: JournalEntry]
        let platform: PlatformCheck
        do {
            loaded = try Manifest.load(from: url, displayName: manifest)
            try overrideOptions.overrides().apply(to: &loaded)
            let api = loaded.options.api
            let journalChoice = try JournalArgument(journal, manifest: url)
            let full = loaded
            if picking.picks {
                let selection = try await picking.selection {
                    try await FailedItems.ids(
                        of: full, journal: journalChoice, account: connection.accountKey(api: api),
                        endpoint: connection.endpoint(api: api))
                }
                loaded = try selection.apply(to: loaded)
            }
            entries = try await journalChoice.entries(
                of: full, account: connection.accountKey(api: api), endpoint: connection.endpoint(api: api))
            platform = try Self.platform(connection, api: api, retries: loaded.options.retries)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let results: [PlatformCheck.Result]
        do {
            results = try await platform.check(loaded, journal: entries)
        } catch {
            FileHandle.standardError.write(Data("error: \(Redaction.redact(bodyText: "\(error)"))\n".utf8))
            throw ExitCode(ExitStatus.failure)
        }
        var lines: [String] = []
        var counts: [PlatformCheck.Result.Verdict: Int] = [:]
        for result in results {
            counts[result.verdict, default: 0] += 1
            let mark =
                ["equal": "=", "different": "*", "missing": "-", "not found": "?", "skipped": "~"][
                    result.verdict.rawValue] ?? "?"
            lines.append("\(mark) \(result.itemID)\(result.key.map { " [\($0)]" } ?? ""): \(result.detail)")
        }
        let order: [PlatformCheck.Result.Verdict] = [.equal, .different, .missing, .notFound, .skipped]
        lines.append(
            order.compactMap { verdict in counts[verdict].map { "\($0) \(verdict.rawValue)" } }.joined(separator: ", "))
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        if let report {
            do {
                try Self.json(results).write(to: URL(fileURLWithPath: report), options: .atomic)
            } catch {
                FileHandle.standardError.write(Data("error: cannot write \(report): \(error)\n".utf8))
                throw ExitCode(ExitStatus.failure)
            }
        }
        let clean = results.allSatisfy { $0.verdict == .equal || $0.verdict == .skipped }
        throw ExitCode(clean ? ExitStatus.success : ExitStatus.failure)
    }

    /// The clients of the account the options name; a check needs an account (never the sandbox).
    static func platform(_ connection: ConnectionOptions, api: APIGeneration, retries: Int) throws -> PlatformCheck {
        let configuration = APIClientConfiguration(
            endpoint: connection.endpoint(api: api), security: connection.security,
            retry: RetryPolicy(maxAttempts: retries + 1), pacer: RouteRateLimiter())
        let http = try connection.httpClient()
        guard api == .v2 else {
            guard let credentials = try connection.loadCredentials() else {
                throw UsageError(description: "check needs credentials: JW_API_KEY and JW_API_SECRET, or --credentials")
            }
            return PlatformCheck(
                client: APIClient(credentials: credentials, configuration: configuration, httpClient: http))
        }
        guard let v2 = try connection.loadV2Credentials() else {
            throw UsageError(
                description: "check --api v2 needs credentials: JW_SITE_ID and JW_V2_API_SECRET, or --credentials")
        }
        let v1 = (try? connection.loadCredentials()) ?? APICredentials(key: v2.siteID, secret: "")
        return PlatformCheck(
            client: APIClient(credentials: v1, configuration: configuration, httpClient: http),
            v2Client: V2Client(credentials: v2, configuration: configuration, httpClient: http))
    }

    /// The results as a JSON document: `{"equal": n, …, "items": [{id, verdict, key, local, remote, detail}]}`.
    static func json(_ results: [PlatformCheck.Result]) throws -> Data {
        var counts: [String: Int] = [:]
        for result in results { counts[result.verdict.rawValue, default: 0] += 1 }
        let items: [[String: Any]] = results.map { result in
            var object: [String: Any] = [
                "id": result.itemID, "verdict": result.verdict.rawValue, "detail": result.detail,
            ]
            if let key = result.key { object["key"] = key }
            if let local = result.local { object["local"] = ["md5": local.md5, "size": local.size] }
            if let remote = result.remote { object["remote"] = ["md5": remote.md5, "size": remote.size] }
            return object
        }
        var document: [String: Any] = ["items": items]
        for (name, count) in counts { document[name] = count }
        return try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
    }
}
