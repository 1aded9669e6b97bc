import Foundation
import JWPlatform

/// Which videos of the account carry which of a manifest's ingest ids (`custom.ingest_id`), from one
/// paged sweep of `/videos/list`: what a run whose journal does not know an item's asset (a new CronJob
/// pod, a new laptop, a lost journal) asks the platform before its first create, so that it adopts what
/// exists instead of creating it again.
///
/// One sweep reads every page of the account's videos (1,000 a page), whatever the number of items: a
/// search per item would spend the list route's rate limit (30 calls a minute) item by item.
public struct RemoteIngestIndex: Sendable, Hashable {
    /// The videos found, by ingest id, in the platform's order (more than one means duplicates).
    public var videos: [String: [VideoDetails]]
    /// How many pages were read.
    public var pages: Int
    /// Whether the videos show their file's size (v1); v2's media do not, and a media that received a
    /// file is then taken as holding the item's.
    public var showsFiles = true

    /// Creates an index.
    public init(videos: [String: [VideoDetails]] = [:], pages: Int = 0) {
        self.videos = videos
        self.pages = pages
    }

    /// Reads every page of the account's videos and keeps those whose ingest id is one of `ids`.
    ///
    /// - Parameters:
    ///   - client: The client; its rate limiter paces the list calls, its retry policy retries them.
    ///   - ids: The ingest ids looked for.
    ///   - pageSize: Videos per page (`result_limit`), at most 1,000.
    ///   - isStopping: Asked after each page; `true` ends the sweep with ``IngestInterruption``.
    /// - Throws: The client's error when a page cannot be read (the run must not create blindly then),
    ///   or ``IngestInterruption`` when stopped.
    public static func sweep(
        _ client: APIClient, ids: Set<String>, pageSize: Int = 1000, isStopping: () -> Bool = { false }
    ) async throws -> RemoteIngestIndex {
        var index = RemoteIngestIndex()
        guard !ids.isEmpty else { return index }
        index.pages = try await client.forEachVideoPage(pageSize: pageSize) { page in
            if isStopping() { throw IngestInterruption(itemID: "", stage: "remote-check") }
            for video in page {
                guard let id = video.custom[CreateStage.ingestIDField], ids.contains(id) else { continue }
                index.videos[id, default: []].append(video)
            }
        }
        return index
    }

    /// Reads every page of the site's v2 media and keeps those whose `external_id` is one of `ids`. The
    /// videos it holds show no file size or MD5 (v2 shows none): ``showsFiles`` is `false`.
    ///
    /// - Throws: The client's error when a page cannot be read, or ``IngestInterruption`` when stopped.
    public static func sweep(
        _ client: V2Client, ids: Set<String>, pageSize: Int = 1000, isStopping: () -> Bool = { false }
    ) async throws -> RemoteIngestIndex {
        var index = RemoteIngestIndex()
        index.showsFiles = false
        guard !ids.isEmpty else { return index }
        index.pages = try await client.forEachMediaPage(pageLength: pageSize) { page in
            if isStopping() { throw IngestInterruption(itemID: "", stage: "remote-check") }
            for media in page {
                guard let id = media.externalID, ids.contains(id) else { continue }
                index.videos[id, default: []].append(media.videoDetails)
            }
        }
        return index
    }

    /// This index without the videos whose keys are in `keys` (those the journal records for other
    /// manifests: an ingest id used by two manifests on one account must not make one adopt the other's).
    public func excluding(_ keys: Set<String>) -> RemoteIngestIndex {
        guard !keys.isEmpty else { return self }
        var kept = self
        kept.videos = videos.compactMapValues { found in
            let left = found.filter { !keys.contains($0.key) }
            return left.isEmpty ? nil : left
        }
        return kept
    }

    /// The video to adopt for `id`: one that received a file if there is one, else the first.
    public func video(for id: String) -> VideoDetails? {
        guard let found = videos[id] else { return nil }
        return found.first { $0.status != .created } ?? found.first
    }
}
