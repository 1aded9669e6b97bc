import Foundation

/// A thumbnail or text track just created: its id and the presigned link its file goes to.
public struct V2CompanionUpload: Sendable, Hashable, Codable {
    /// The thumbnail's or track's id.
    public var id: String
    /// Its presigned `PUT` link (a secret: redacted in messages).
    public var link: String

    /// Creates one.
    public init(id: String, link: String) {
        self.id = id
        self.link = link
    }
}

/// A text track of a media, as the list shows it.
public struct V2TextTrack: Sendable, Hashable {
    /// The track's id.
    public var id: String
    /// `captions`, `chapters`, …
    public var kind: String?
    /// Its label.
    public var label: String?
    /// Its language (`srclang`).
    public var language: String?
    /// `created` until its file arrives, then `ready` or `failed`.
    public var status: String?
}

extension V2Client {
    /// Creates a thumbnail of the media `mediaID` to be sent by a direct upload
    /// (`POST /v2/sites/{site_id}/thumbnails/`).
    ///
    /// - Throws: ``APIError`` when refused, ``AnswerShapeError`` when the answer has no id or link.
    public func createThumbnail(mediaID: String) async throws -> V2CompanionUpload {
        let body: APIValue = [
            "relationships": ["media": [["id": .string(try Self.checkedID(mediaID))]]],
            "upload": ["method": "direct"],
        ]
        return try Self.companion(try await call(.post, "/v2/sites/{site_id}/thumbnails/", body: body))
    }

    /// Makes the thumbnail `thumbnailID` the poster of the media `mediaID`.
    public func makePoster(thumbnailID: String, mediaID: String) async throws {
        let body: APIValue = [
            "relationships": ["media": [["id": .string(try Self.checkedID(mediaID)), "is_poster": true]]]
        ]
        _ = try await call(.patch, "/v2/sites/{site_id}/thumbnails/\(try Self.checkedID(thumbnailID))/", body: body)
    }

    /// Creates a text track of the media `mediaID` to be sent by a direct upload
    /// (`POST /v2/sites/{site_id}/media/{id}/text_tracks/`).
    ///
    /// - Parameters:
    ///   - mediaID: The media the track belongs to.
    ///   - kind: `captions` or `chapters` (`track_kind`).
    ///   - label: The label shown to viewers.
    ///   - language: The language (`srclang`), e.g. `en`.
    ///   - format: `vtt` or `srt` (`file_format`).
    public func createTextTrack(
        mediaID: String, kind: String, label: String?, language: String?, format: String
    ) async throws -> V2CompanionUpload {
        var metadata: APIValue = ["track_kind": .string(kind)]
        if case .object(var object) = metadata {
            if let label { object["label"] = .string(label) }
            if let language { object["srclang"] = .string(language) }
            metadata = .object(object)
        }
        let body: APIValue = ["metadata": metadata, "upload": ["method": "direct", "file_format": .string(format)]]
        let path = "\(Self.mediaPath)\(try Self.checkedID(mediaID))/text_tracks/"
        return try Self.companion(try await call(.post, path, body: body))
    }

    /// The text tracks of the media `mediaID`.
    public func textTracks(mediaID: String) async throws -> [V2TextTrack] {
        let path = "\(Self.mediaPath)\(try Self.checkedID(mediaID))/text_tracks/"
        var tracks: [V2TextTrack] = []
        var page = 1
        while true {
            let answer = try await call(.get, path, query: [("page", "\(page)"), ("page_length", "100")])
            let entries = answer.value["text_tracks"]?.arrayValue ?? []
            for entry in entries {
                guard let id = entry["id"]?.text else { continue }
                let metadata = entry["metadata"]
                tracks.append(
                    V2TextTrack(
                        id: id, kind: metadata?["track_kind"]?.text, label: metadata?["label"]?.text,
                        language: metadata?["srclang"]?.text, status: entry["status"]?.text))
            }
            if entries.count < 100 { return tracks }
            page += 1
        }
    }

    /// Deletes the text track `trackID` of the media `mediaID`; one already gone is not an error.
    public func deleteTextTrack(mediaID: String, trackID: String) async throws {
        let path = "\(Self.mediaPath)\(try Self.checkedID(mediaID))/text_tracks/\(try Self.checkedID(trackID))/"
        do {
            _ = try await call(.delete, path)
        } catch let error as APIError where error.httpStatus == 404 {
            return
        }
    }

    static func companion(_ answer: APIAnswer) throws -> V2CompanionUpload {
        guard let id = answer.value["id"]?.text, let link = answer.value["upload_link"]?.text, !link.isEmpty else {
            throw AnswerShapeError(
                call: answer.call, path: "id, upload_link", expected: "an id and a direct upload link", seen: "nothing")
        }
        return V2CompanionUpload(id: id, link: link)
    }
}
