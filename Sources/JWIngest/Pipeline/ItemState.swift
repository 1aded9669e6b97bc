import Foundation
import JWPlatform

/// What a run has learned about one item so far. Every stage takes the state its predecessor left and
/// adds what it produced; a journal can store it after each stage (it is `Codable`), and a stage that
/// finds its work already in the state does nothing, which makes re-running it harmless.
public struct ItemState: Sendable, Hashable, Codable {
    /// The manifest id of the item.
    public var itemID: String
    /// The stages that finished, in order.
    public var completedStages: [String] = []
    /// The file's size when it was validated.
    public var fileSize: Int64?
    /// The file's modification time when it was validated.
    public var fileModified: Date?
    /// The media duration the probe found, in seconds.
    public var duration: Double?
    /// The key of the created asset (video, image or skin).
    public var mediaKey: String?
    /// An upload link not yet used.
    public var uploadLink: UploadLink?
    /// When ``uploadLink`` was issued (links last 7 days).
    public var linkIssuedAt: Date?
    /// MD5 and size computed while the file was sent.
    public var sent: FileDigest?
    /// MD5 and size the server reported.
    public var received: FileDigest?
    /// Whether ``sent`` and ``received`` were compared and matched.
    public var verified = false
    /// How many times the file was sent.
    public var uploads = 0
    /// Whether the thumbnail was sent and accepted.
    public var thumbnailDone = false
    /// Track keys by ``TrackSpec/identity``, once created.
    public var trackKeys: [String: String] = [:]
    /// Tracks whose file was sent and accepted, by identity.
    public var tracksUploaded: Set<String> = []
    /// The platform's last reported status (`ready`, `failed`, …), from wait-ready.
    public var remoteStatus: String?
    /// Values that custom stages record, by name.
    public var values: [String: String] = [:]
    /// A create was sent and its answer not yet recorded: a later attempt looks for the asset first.
    public var createPending = false
    /// Unused upload links of created tracks, by identity (a track has no call for a new one).
    public var trackLinks: [String: UploadLink] = [:]
    /// Track creates sent whose answers were not recorded, by identity.
    public var tracksPending: Set<String> = []
    /// Whether a create (the asset's or a track's) was sent and its answer not recorded.
    var hasCreateInFlight: Bool { createPending || !tracksPending.isEmpty }
    /// What a changed item needs on the platform: new metadata, a new file, or both.
    public var pendingUpdate: PendingUpdate?
    /// On v2: the upload opened for the item's file and how far it went.
    public var v2Upload: V2UploadState?
    /// On v2: a thumbnail created and not yet sent (its id and link), to be sent rather than made again.
    public var v2Thumbnail: V2CompanionUpload?
    /// On v2: the links of created text tracks whose file was not sent yet, by identity.
    public var v2TrackLinks: [String: String]?

    /// What a changed item needs on the platform.
    public struct PendingUpdate: Sendable, Hashable, Codable {
        /// The metadata changed: `/videos/update` with the manifest's values.
        public var metadata: Bool
        /// The file changed: a new link (`update_file=True`) and a new upload.
        public var file: Bool

        /// Creates a pending update.
        public init(metadata: Bool, file: Bool) {
            self.metadata = metadata
            self.file = file
        }
    }

    /// A fresh state for `itemID`.
    public init(itemID: String) { self.itemID = itemID }

    /// Forgets everything that belonged to the item's asset, once that asset is deleted to be replaced:
    /// its key and link, what was sent and verified, its thumbnail, tracks and remote status. What the
    /// item's files are (size, duration) is kept. The new asset then gets its file, thumbnail, captions
    /// and chapters anew.
    public mutating func forgetAsset() {
        mediaKey = nil
        uploadLink = nil
        linkIssuedAt = nil
        sent = nil
        received = nil
        verified = false
        thumbnailDone = false
        trackKeys = [:]
        tracksUploaded = []
        trackLinks = [:]
        tracksPending = []
        remoteStatus = nil
        createPending = false
        v2Upload = nil
        v2Thumbnail = nil
        v2TrackLinks = nil
    }
}
