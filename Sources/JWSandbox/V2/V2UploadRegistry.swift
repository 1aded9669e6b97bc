import Foundation

/// The multipart uploads of the v2 API: for each, its id and token, the media it fills, the parts stored
/// so far and whether it was completed. One actor, so that a part that arrives during a complete is either
/// in the file or refused, never lost.
actor V2UploadRegistry {
    /// A stored part: where it is on disk, its MD5 (hex) and its size.
    struct Part: Sendable, Hashable {
        var path: String
        var md5: String
        var size: Int64
    }

    /// Where an upload stands.
    enum Phase: Sendable, Hashable {
        /// Parts may be listed and sent.
        case open
        /// A complete is assembling the file: nothing else is accepted.
        case completing
        /// The file was made: nothing more is accepted.
        case completed
    }

    /// One multipart upload.
    struct Upload: Sendable, Hashable {
        /// The `upload_id`.
        var id: String
        /// The `upload_token`, the Bearer of the upload's calls.
        var token: String
        /// The media the file goes to.
        var mediaID: String
        /// The sandbox's grant behind the upload: spent by the complete, gone when the media is deleted.
        var grantToken: String
        var parts: [Int: Part] = [:]
        var phase = Phase.open
    }

    private var uploads: [String: Upload] = [:]

    /// A new open upload for `mediaID`, under a fresh id and token.
    func open(mediaID: String, grantToken: String) -> Upload {
        var id = SandboxState.randomKey(length: 24)
        while uploads[id] != nil { id = SandboxState.randomKey(length: 24) }
        let upload = Upload(
            id: id, token: SandboxState.randomKey(length: 40), mediaID: mediaID, grantToken: grantToken)
        uploads[id] = upload
        return upload
    }

    func upload(_ id: String) -> Upload? { uploads[id] }

    /// Records part `number` of upload `id`, replacing an earlier one; returns the path of the part it
    /// replaced, if any, or `nil` in `accepted` when the upload is no longer open (the caller removes the
    /// file it wrote).
    func store(_ part: Part, number: Int, in id: String) -> (accepted: Bool, replaced: String?) {
        guard var upload = uploads[id], upload.phase == .open else { return (false, nil) }
        let replaced = upload.parts[number]?.path
        upload.parts[number] = part
        uploads[id] = upload
        return (true, replaced)
    }

    /// Starts the complete of upload `id`: checks its parts (``V2PartRules/check(_:)``) and, when they
    /// pass, closes it to parts and returns them.
    ///
    /// - Throws: ``V2Error`` `404` for an unknown upload, `409 conflict` for one completed or being
    ///   completed, and the errors of ``V2PartRules/check(_:)``.
    func beginCompletion(_ id: String) throws(V2Error) -> [Int: Part] {
        guard var upload = uploads[id] else { throw .notFound("upload \(id) does not exist") }
        switch upload.phase {
        case .completed: throw .conflict("upload \(id) was completed already")
        case .completing: throw .conflict("upload \(id) is being completed")
        case .open: break
        }
        try V2PartRules.check(upload.parts.mapValues(\.size))
        upload.phase = .completing
        uploads[id] = upload
        return upload.parts
    }

    /// Ends a complete: when the file was made, the upload is completed and forgets its parts (returned,
    /// for the caller to remove); otherwise it is open again, its parts kept.
    func endCompletion(_ id: String, made: Bool) -> [Part] {
        guard var upload = uploads[id] else { return [] }
        guard made else {
            upload.phase = .open
            uploads[id] = upload
            return []
        }
        let parts = Array(upload.parts.values)
        upload.parts = [:]
        upload.phase = .completed
        uploads[id] = upload
        return parts
    }

    /// Forgets every upload of `mediaID` (the media was deleted); returns their stored parts.
    func remove(mediaID: String) -> [Part] {
        let gone = uploads.values.filter { $0.mediaID == mediaID }
        for upload in gone { uploads[upload.id] = nil }
        return gone.flatMap { $0.parts.values }
    }
}
