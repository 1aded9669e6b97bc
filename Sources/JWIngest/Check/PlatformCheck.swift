import Foundation
import JWPlatform

/// Compares every item of a manifest with what the platform holds, without sending anything, as
/// `rclone check` does: the video the journal records (or, without one, the one carrying the item's
/// ingest id), its stored MD5 and size against the local file's (read once, streamed).
///
/// v2 shows no MD5 or size of a media: a v2 media that holds a file counts as equal, and the result says
/// the bytes were not compared.
public struct PlatformCheck: Sendable {
    /// The v1 client (the videos' MD5 and size).
    public var client: APIClient
    /// The v2 client, for a v2 run's media.
    public var v2Client: V2Client?

    /// Creates a check.
    public init(client: APIClient, v2Client: V2Client? = nil) {
        self.client = client
        self.v2Client = v2Client
    }

    /// How one item compares.
    public struct Result: Sendable, Hashable {
        /// What was found.
        public enum Verdict: String, Sendable, Hashable {
            /// On the platform with the same bytes (or, on v2, with a file).
            case equal
            /// On the platform with other bytes, or a file it could not process.
            case different
            /// Not on the platform: no video carries the item's id.
            case missing
            /// The journal records a video the platform no longer has.
            case notFound = "not found"
            /// Not checked: an account image or skin (no call shows their bytes).
            case skipped
        }

        /// The item's id.
        public var itemID: String
        /// The verdict.
        public var verdict: Verdict
        /// The video's key, when one was found or recorded.
        public var key: String?
        /// The local file's digest, when read.
        public var local: FileDigest?
        /// The platform's digest, when it shows one.
        public var remote: FileDigest?
        /// What the line says beyond the verdict.
        public var detail: String
    }

    /// Checks every item of `manifest`; `journal` gives the keys a run recorded.
    ///
    /// - Throws: What the platform's calls throw once retried (a refused account, no connection).
    public func check(
        _ manifest: Manifest, journal: [String: JournalEntry]
    ) async throws -> [Result] {
        let unknown = Set(
            manifest.items.filter { $0.kind == .video && journal[$0.id]?.mediaKey == nil }.map(\.id))
        let index: RemoteIngestIndex
        if let v2Client {
            index = try await RemoteIngestIndex.sweep(v2Client, ids: unknown)
        } else {
            index = try await RemoteIngestIndex.sweep(client, ids: unknown)
        }
        var results: [Result] = []
        for item in manifest.items {
            results.append(try await check(item, key: journal[item.id]?.mediaKey ?? index.video(for: item.id)?.key))
        }
        return results
    }

    /// Checks one item whose video is `key` (`nil`: none found).
    func check(_ item: IngestItem, key: String?) async throws -> Result {
        guard item.kind == .video else {
            return Result(
                itemID: item.id, verdict: .skipped, key: key,
                detail: "a \(item.kind) is not checked: no call shows its bytes")
        }
        guard let key else {
            return Result(itemID: item.id, verdict: .missing, detail: "no video carries its id")
        }
        let remote: (status: String?, digest: FileDigest?)
        do {
            if let v2Client {
                let media = try await v2Client.media(id: key)
                remote = (media.status, nil)
            } else {
                let video = try await client.showVideo(key: key)
                let digest = video.md5.flatMap { md5 in video.size.map { FileDigest(md5: md5, size: $0) } }
                remote = (video.status?.rawValue, digest)
            }
        } catch let error as APIError where error.httpStatus == 404 || error.code == .notFound {
            return Result(
                itemID: item.id, verdict: .notFound, key: key, detail: "video \(key) is gone from the platform")
        }
        guard remote.status != "failed", remote.status != "created" else {
            return Result(
                itemID: item.id, verdict: .different, key: key, remote: remote.digest,
                detail: remote.status == "failed" ? "the platform could not process its file" : "it has no file")
        }
        guard let file = item.file else {
            return Result(itemID: item.id, verdict: .equal, key: key, detail: "fetched by URL: present")
        }
        let local: FileDigest
        do {
            local = try await FileDigest.md5(of: .whole(file, size: try FileStatus(path: file.path).size))
        } catch {
            return Result(
                itemID: item.id, verdict: .different, key: key, remote: remote.digest,
                detail: "the local file cannot be read: \(error)")
        }
        guard let stored = remote.digest else {
            return Result(
                itemID: item.id, verdict: .equal, key: key, local: local,
                detail: "present; the platform shows no MD5 (v2), so the bytes were not compared")
        }
        guard stored == local else {
            return Result(
                itemID: item.id, verdict: .different, key: key, local: local, remote: stored,
                detail: "local \(local), platform \(stored)")
        }
        return Result(itemID: item.id, verdict: .equal, key: key, local: local, remote: stored, detail: "same bytes")
    }
}
