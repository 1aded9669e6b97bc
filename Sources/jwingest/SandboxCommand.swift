import ArgumentParser
import Foundation
import JWPlatform
import JWSandbox

/// `jwingest sandbox`: runs the local emulator of the API and upload server until SIGINT or SIGTERM.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local emulator of the JW Platform API and upload server.",
        discussion: """
            Prints its endpoint and credentials, then serves until interrupted. Without --api-secret it makes a
            fresh random secret for this run and prints it (it is the sandbox's own, not an account's); with
            --api-secret the secret is not printed. Use the printed values as JW_API_KEY, JW_API_SECRET and
            --endpoint. It also serves the v2 Management API under /v2/ (Authorization: Bearer): --site-id
            and --v2-secret are random and printed when not given (JW_SITE_ID, JW_V2_API_SECRET).
            --faults injects failures from a seed; see the README for the SPEC format.
            --tls serves HTTPS with a certificate from a throw-away certificate authority made for this run,
            and prints the path of the authority's certificate: give it to jwingest with --ca-file, or to
            other clients (SSL_CERT_FILE=… for Python, curl --cacert). --tls-cert and --tls-key serve yours.

            Example: jwingest sandbox --port 8080 --faults 500=5%@api --seed 42
            """
    )

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port; 0 picks a free one.") var port = 0
    @Option(help: ArgumentHelp("Keep uploaded files in this folder.", valueName: "dir")) var data: String?
    @Option(help: "The API key the sandbox accepts.") var apiKey = "sandbox1"
    @Option(help: "The API secret the sandbox accepts (default: a random one, printed).") var apiSecret: String?
    @Option(
        name: .customLong("site-id"),
        help: "The v2 site id the sandbox serves (default: 8 random letters and digits, printed).")
    var siteID: String?
    @Option(
        name: .customLong("v2-secret"),
        help: "The v2 API secret the sandbox accepts as Bearer (default: a random one, printed).")
    var v2Secret: String?
    @Option(
        help: ArgumentHelp("Faults to inject, e.g. '500=5%,drop=2%@upload,429=10%@/videos/list'.", valueName: "spec"))
    var faults = ""
    @Option(help: "The seed of the fault sequence.") var seed: UInt64 = 1
    @Flag(help: "Turn the per-route rate limits off (for benchmarks).") var noRateLimit = false
    @Option(help: "Calls a minute allowed per route.") var rateLimit = 60
    @Option(help: "Calls a minute allowed on /videos/list.") var listRateLimit = 30
    @Flag(help: "Serve HTTPS with a throw-away certificate authority made for this run (its certificate is printed).")
    var tls = false
    @Option(help: ArgumentHelp("Serve HTTPS with this PEM certificate chain (with --tls-key).", valueName: "file"))
    var tlsCert: String?
    @Option(help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    func validate() throws {
        guard rateLimit > 0, listRateLimit > 0 else { throw ValidationError("rate limits must be at least 1") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        if let siteID, !V2Credentials.isValidSiteID(siteID) {
            throw ValidationError("--site-id must be 1 to 64 letters and digits")
        }
        if v2Secret?.isEmpty == true { throw ValidationError("--v2-secret must not be empty") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        if tls && tlsCert != nil { throw ValidationError("--tls makes its own certificate; leave out --tls-cert") }
    }

    /// The certificate and key to serve HTTPS with, if any.
    func tlsSettings() throws -> SandboxTLS? {
        if let tlsCert, let tlsKey {
            return try SandboxTLS.load(
                certificateChain: URL(fileURLWithPath: tlsCert), privateKey: URL(fileURLWithPath: tlsKey))
        }
        guard tls else { return nil }
        let wildcard = ["0.0.0.0", "::", "[::]"].contains(host)
        return try SandboxTLS.throwAway(hosts: (wildcard ? [] : [host]) + ["127.0.0.1", "::1", "localhost"])
    }

    func run() async throws {
        let plan: FaultPlan
        let tlsSettings: SandboxTLS?
        do {
            plan = try FaultPlan(spec: faults, seed: seed)
            tlsSettings = try self.tlsSettings()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let secret = apiSecret ?? SandboxCommand.randomSecret()
        var configuration = SandboxConfiguration(
            host: host, port: port, dataDirectory: data.map { URL(fileURLWithPath: $0) },
            credentials: APICredentials(key: apiKey, secret: secret), faults: plan)
        let random = SandboxConfiguration.randomV2Credentials()
        let v2SecretText = v2Secret ?? random.secret.withRevealedText { $0 }
        configuration.v2Credentials = V2Credentials(siteID: siteID ?? random.siteID, secret: v2SecretText)
        configuration.rateLimits = RateLimitSettings(
            isEnabled: !noRateLimit, perMinute: rateLimit, listPerMinute: listRateLimit)
        configuration.tls = tlsSettings
        let printSecret = apiSecret == nil
        let printV2Secret = v2Secret == nil
        let exposed = !configuration.isLoopbackOnly
        do {
            try await Sandbox.run(configuration) { sandbox in
                if exposed {
                    FileHandle.standardError.write(
                        Data(
                            ("warning: the sandbox listens on \(host), so other machines can reach it: anyone who "
                                + "knows its key and secret can call it, /_sandbox/ inspection needs them (HTTP "
                                + "basic), and idle connections are closed after 30 s. It is a rehearsal server: "
                                + "keep it off untrusted networks\n").utf8))
                }
                var lines = [
                    "jwingest sandbox listening on \(sandbox.endpoint)",
                    "  JW_API_KEY=\(sandbox.credentials.key)",
                    printSecret
                        ? "  JW_API_SECRET=\(secret)" : "  JW_API_SECRET=(as given with --api-secret)",
                    "  JW_SITE_ID=\(sandbox.v2Credentials.siteID)",
                    printV2Secret
                        ? "  JW_V2_API_SECRET=\(v2SecretText)" : "  JW_V2_API_SECRET=(as given with --v2-secret)",
                    "  --endpoint \(sandbox.endpoint)",
                    "  files in \(sandbox.dataDirectory.path)",
                ]
                if let authority = tlsSettings?.authorityPEM {
                    let path = sandbox.dataDirectory.appendingPathComponent("ca.pem")
                    do {
                        try Data(authority.utf8).write(to: path)
                        lines.append("  CA certificate \(path.path) (--ca-file, SSL_CERT_FILE, curl --cacert)")
                    } catch {
                        lines.append("  CA certificate could not be written to \(path.path): \(error)")
                    }
                }
                if !plan.description.isEmpty && plan.description != "none" {
                    lines.append("  faults: \(plan) (seed \(seed))")
                }
                FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            }
        } catch {
            // A port in use, a data folder that cannot be made: say so and exit with 1.
            FileHandle.standardError.write(Data("error: sandbox: \(error)\n".utf8))
            throw ExitCode(ExitStatus.failure)
        }
    }

    static func randomSecret() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<24).map { _ in alphabet.randomElement() ?? "x" })
    }
}
