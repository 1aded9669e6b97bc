import Foundation
import JWPlatform

extension IngestPlan {
    /// The ingest ids of the videos whose asset the journal does not know (no row, or a row without a
    /// key): the ones to look for on the platform before anything is created.
    public var idsToLookUp: Set<String> {
        Set(entries.filter { $0.state.mediaKey == nil && $0.item.kind == .video }.map(\.item.id))
    }

    /// Plans the items found in `index` as adopted, never created again: a video that never received a
    /// file is looked for, deleted and created anew by `create` (its link died with the lost answer);
    /// any other is the item's asset, `unchanged` when its size and the metadata the manifest gives
    /// match, else updated (new metadata, a new file, or both).
    ///
    /// Without a journal nothing says whether the thumbnail and tracks were sent: the thumbnail is sent
    /// again when the metadata differ (it replaces the old one), and tracks are taken as sent, since the
    /// platform has no call to list them and a second create would double them.
    ///
    /// - Parameters:
    ///   - index: What the platform holds, by ingest id.
    ///   - pipeline: The stage names, which an unchanged item counts as done.
    public mutating func adopt(_ index: RemoteIngestIndex, pipeline: [String]) {
        for position in entries.indices {
            let entry = entries[position]
            guard entry.state.mediaKey == nil, entry.item.kind == .video, let video = index.video(for: entry.item.id)
            else { continue }
            entries[position] = Self.adopting(
                video, entry, duplicates: index.videos[entry.item.id] ?? [], pipeline, showsFiles: index.showsFiles)
        }
    }

    static func adopting(
        _ video: VideoDetails, _ entry: Entry, duplicates: [VideoDetails], _ pipeline: [String],
        showsFiles: Bool = true
    )
        -> Entry
    {
        var adopted = entry
        adopted.adopted = video
        adopted.duplicates = duplicates.map(\.key).filter { $0 != video.key }
        let item = entry.item
        if video.status == .created, item.file != nil {
            // It never got its file and its link is lost: `create` finds it, deletes it and creates anew.
            adopted.state.createPending = true
            return adopted
        }
        var state = ItemState(itemID: item.id)
        state.mediaKey = video.key
        state.tracksUploaded = Set(item.tracks.map(\.identity))
        let fileChanged = RemoteComparison.fileDiffers(item, video, showsFiles: showsFiles)
        let metadataChanged = !RemoteComparison.metadataMatches(item, video)
        state.thumbnailDone = !metadataChanged
        if !fileChanged {
            // The platform holds this file: it is not sent again.
            state.verified = true
            if let md5 = video.md5, let size = video.size { state.received = FileDigest(md5: md5, size: size) }
        }
        if !fileChanged, !metadataChanged {
            state.completedStages = pipeline
            adopted.action = .unchanged
        } else {
            state.pendingUpdate = ItemState.PendingUpdate(metadata: metadataChanged, file: fileChanged)
            adopted.action = .update(file: fileChanged, metadata: metadataChanged)
        }
        adopted.state = state
        return adopted
    }
}

/// What can be compared between a manifest item and the video the platform holds for it, without a
/// journal: the file's size (and whether the platform could process it), and the metadata the manifest
/// gives.
enum RemoteComparison {
    /// Whether the item's file is not what the video holds: another size, none received, or a file the
    /// platform refused. A fetched item's source is not compared.
    static func fileDiffers(_ item: IngestItem, _ video: VideoDetails, showsFiles: Bool = true) -> Bool {
        guard let file = item.file else { return false }
        if video.status == .failed { return true }
        // v2 shows no size: a media that received a file is taken as holding the item's.
        if !showsFiles { return false }
        guard let remote = video.size, let local = try? FileStatus(path: file.path) else { return true }
        return local.size != remote
    }

    /// Whether every metadata field the manifest gives (title, description, author, link, tags, date,
    /// custom fields) has that value on the platform. Fields the manifest leaves out are not compared:
    /// the platform may have filled them in.
    static func metadataMatches(_ item: IngestItem, _ video: VideoDetails) -> Bool {
        let metadata = item.metadata
        for (wanted, remote) in [
            (metadata.title, video.title), (metadata.description, video.description), (metadata.author, video.author),
            (metadata.link, video.link),
        ] {
            if let wanted, !wanted.isEmpty, wanted != (remote ?? "") { return false }
        }
        let tags = metadata.tags.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !tags.isEmpty, Set(tags) != Set(video.tags) { return false }
        if let date = metadata.date {
            guard let remote = video.date, Int64(date.timeIntervalSince1970) == Int64(remote.timeIntervalSince1970)
            else { return false }
        }
        return metadata.custom.allSatisfy { video.custom[$0.name] == $0.value }
    }
}
