import Crypto
import Foundation
import JWIngest
import JWPlatform
import JWSandbox
import JWTestSupport
import Synchronization

/// The committed demo manifests and media, and copies of them that a test may change.
enum IngestFixtures {
    /// The repository's root, found from this file.
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// `manifests/` of the repository.
    static var manifests: URL { repository.appendingPathComponent("manifests") }

    /// A temporary copy of `manifests/` (media included); the caller removes it.
    static func copyOfManifests() throws -> URL {
        let folder = try TestMedia.temporaryFolder("jwingest-manifests")
        let copy = folder.appendingPathComponent("manifests")
        try FileManager.default.copyItem(at: manifests, to: copy)
        return copy
    }

    /// Writes `text` as a manifest named `name` in `folder`.
    @discardableResult
    static func write(_ text: String, named name: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// The MD5 of a file, lower-case hex.
    static func md5(_ url: URL) throws -> String {
        Insecure.MD5.hash(data: try Data(contentsOf: url)).map { String(format: "%02x", $0) }.joined()
    }

    /// A client of `sandbox` in `format`, retrying nothing by itself (the stages retry).
    static func client(_ sandbox: Sandbox, format: AnswerFormatName = .json) -> APIClient {
        APIClient(
            credentials: sandbox.credentials,
            configuration: APIClientConfiguration(endpoint: sandbox.endpoint, format: format, retry: .none))
    }
}

/// Collects a run's events, for tests.
final class EventRecorder: IngestObserver {
    private let recorded = Mutex<[IngestEvent]>([])
    let observedKinds: IngestEvent.Kinds

    /// Records the events of `kinds` (every kind by default).
    init(kinds: IngestEvent.Kinds = .all) { observedKinds = kinds }

    func observe(_ event: IngestEvent) async {
        recorded.withLock { $0.append(event) }
    }

    var events: [IngestEvent] { recorded.withLock { $0 } }
}
