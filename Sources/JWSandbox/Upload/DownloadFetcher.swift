import AsyncHTTPClient
import Foundation
import JWPlatform
import NIOCore

/// `/videos/create` with `download_url`: the platform fetches the file itself. The sandbox fetches only
/// from loopback (nothing else is reachable, and a sandbox must not be a way out), streaming to disk.
enum DownloadFetcher {
    /// Refuses a URL that is not `http(s)://` on loopback.
    static func validate(_ source: String) throws {
        guard let parts = URLComponents(string: source), let scheme = parts.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = parts.host, !host.isEmpty
        else { throw SandboxError.invalid("download_url", "must be an http(s) URL") }
        guard TransportSecurity.isLoopback(address: host) else {
            throw SandboxError.invalid("download_url", "the sandbox fetches only from loopback (127.0.0.1, ::1)")
        }
    }

    /// The client that fetches: no redirects, so a loopback URL cannot lead anywhere else.
    static let httpClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .seconds(60))
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Fetches `source` in the background and records it as the asset's file; a failed fetch marks the
    /// asset failed.
    static func start(_ source: String, assetKey: String, context: SandboxContext) {
        Task {
            var writer: StoredFileWriter?
            do {
                let file = try StoredFileWriter(
                    url: context.storage.appendingPathComponent(".fetch-\(UUID().uuidString)"))
                writer = file
                let response = try await httpClient.execute(HTTPClientRequest(url: source), timeout: .minutes(10))
                guard response.status == .ok else {
                    throw SandboxError(.fileUploadFailed, "download_url: answered HTTP \(response.status.code)")
                }
                for try await chunk in response.body {
                    try await file.write(chunk)
                }
                let grant = await context.state.grant(assetKey: assetKey, segment: "fetch", at: context.now)
                let md5 = await file.finish()
                _ = try await UploadCompletion.record(
                    token: grant.token, assetKey: assetKey, writer: file, md5: md5, context: context)
            } catch {
                writer?.discard()
                let reason = "download_url: \(error)"
                let now = context.now
                _ = try? await context.state.update(assetKey) { asset in
                    asset.uploadedAt = now
                    asset.failure = reason
                }
            }
        }
    }
}
