import Foundation

/// A media, track or account asset as an answer names it: `media{type,key}`.
public struct MediaReference: Sendable, Hashable {
    /// `video`, `track`, `image`, `skin`, … as the answer says.
    public var type: String?
    /// The key of the asset.
    public var key: String

    /// Creates a reference.
    public init(type: String?, key: String) {
        self.type = type
        self.key = key
    }
}

/// The answer of a call that creates or updates an asset with a file to send: `/videos/create`,
/// `/videos/update` with `update_file=True`, `/videos/thumbnails/update`, `/videos/tracks/create`,
/// `/accounts/images/create|update`, `/accounts/skins/create|update`.
public struct CreateAnswer: Sendable, Hashable {
    /// The asset the call made or changed (absent for updates that answer only a link).
    public var media: MediaReference?
    /// Where to send the file; `nil` when there is nothing to send (a `download_url` fetch).
    public var link: UploadLink?
    /// The rate-limit block.
    public var rateLimit: RateLimit?

    /// Reads a create or update answer.
    ///
    /// - Throws: ``AnswerShapeError`` when `media` has no key or `link` lacks a part.
    public init(_ answer: AnswerReader) throws {
        if let media = answer.optional("media") ?? answer.optional("video") ?? answer.optional("track") {
            self.media = MediaReference(type: try media.optionalString("type"), key: try media.string("key"))
        }
        if let link = answer.optional("link") {
            self.link = try UploadLink(link)
        }
        // A malformed block must not fail a call that already ran (a create that is then repeated).
        self.rateLimit = (try? RateLimit(answer: answer)) ?? nil
    }
}

/// What the upload server says it received (API.md §3): read from `video{key,md5,size}` or from
/// `file{md5,size}` + `media{key}`, with sizes as numbers or as text.
public struct UploadAnswer: Sendable, Hashable {
    /// The key of the asset the file went to.
    public var key: String?
    /// The MD5 the server computed, lower-case hex.
    public var md5: String
    /// The size the server received, in bytes.
    public var size: Int64
    /// Where the server would redirect, when the upload URL asked for it.
    public var redirectAddress: String?

    /// Creates an answer.
    public init(key: String?, md5: String, size: Int64, redirectAddress: String? = nil) {
        self.key = key
        self.md5 = md5
        self.size = size
        self.redirectAddress = redirectAddress
    }

    /// Reads an upload answer.
    public init(_ answer: AnswerReader) throws {
        let block = answer.optional("file") ?? answer.optional("video")
        guard let block else {
            throw AnswerShapeError(call: answer.call, path: "file", expected: "a file or video block", seen: "nothing")
        }
        let keyBlock = answer.optional("media") ?? answer.optional("video")
        self.key = try keyBlock?.optionalString("key")
        self.md5 = try block.string("md5").lowercased()
        self.size = try block.integer("size")
        self.redirectAddress = try answer.optional("redirect_link")?.optionalString("address")
    }
}

/// One video as `/videos/show` and `/videos/list` give it.
public struct VideoDetails: Sendable, Hashable {
    /// The processing state the platform reports.
    public struct Status: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The name, as written in manifests, answers and reports.
        public var rawValue: String
        /// Creates a value named `rawValue`.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The text shown in messages and logs.
        public var description: String { rawValue }

        /// Created; no file received yet.
        public static let created = Status(rawValue: "created")
        /// A file arrived and is being processed.
        public static let processing = Status(rawValue: "processing")
        /// Processed and playable.
        public static let ready = Status(rawValue: "ready")
        /// A new file was asked for and has not arrived yet; the old one still plays.
        public static let updating = Status(rawValue: "updating")
        /// The platform could not process the file.
        public static let failed = Status(rawValue: "failed")
    }

    /// The video key.
    public var key: String
    /// The processing state.
    public var status: Status?
    /// The title.
    public var title: String?
    /// The description.
    public var description: String?
    /// The author.
    public var author: String?
    /// The tags (the platform writes them as one text separated by commas).
    public var tags: [String]
    /// The link.
    public var link: String?
    /// The publication date.
    public var date: Date?
    /// The MD5 of the stored original, when known.
    public var md5: String?
    /// The size of the stored original in bytes, when known.
    public var size: Int64?
    /// The duration in seconds, when known.
    public var duration: Double?
    /// The custom fields.
    public var custom: [String: String]
    /// The error the platform gives for a `failed` video.
    public var error: String?

    /// Reads one video block.
    public init(_ video: AnswerReader) throws {
        self.key = try video.string("key")
        self.status = try video.optionalString("status").map(Status.init(rawValue:))
        self.title = try video.optionalString("title")
        self.description = try video.optionalString("description")
        self.author = try video.optionalString("author")
        self.link = try video.optionalString("link")
        self.date = try video.optionalInteger("date").map { Date(timeIntervalSince1970: Double($0)) }
        switch video.optional("tags")?.value {
        case .array(let elements)?:
            self.tags = elements.compactMap { $0.text?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case let value?:
            self.tags = (value.text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        case nil:
            self.tags = []
        }
        self.md5 = try video.optionalString("md5")
        self.size = try video.optionalInteger("size")
        self.duration = try video.optionalDouble("duration")
        self.custom = try video.textMap("custom")
        if let error = video.optional("error") {
            let message = try error.optionalString("message")
            self.error = error.value.text ?? message
        }
    }
}

/// The answer of `/videos/list`.
public struct VideoListAnswer: Sendable, Hashable {
    /// The videos of this page.
    public var videos: [VideoDetails]
    /// How many videos match in all.
    public var total: Int64
    /// The rate-limit block.
    public var rateLimit: RateLimit?

    /// Reads a list answer.
    public init(_ answer: AnswerReader) throws {
        self.videos = try answer.list("videos").map(VideoDetails.init)
        self.total = try answer.optionalInteger("total") ?? Int64(videos.count)
        self.rateLimit = (try? RateLimit(answer: answer)) ?? nil
    }
}
