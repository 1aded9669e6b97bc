import JWPlatform

/// Why a stage failed an item: a code to switch on, the item and stage, what was expected and what was
/// seen, whether a retry could help, and the platform's error or the file error underneath.
///
/// ```swift
/// if case .failed(let error) = result.outcome, error.code == .digestMismatch { … }
/// ```
public struct IngestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure it is. An open set: stages of one's own may add codes.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        /// The name, as written in manifests, answers and reports.
        public var rawValue: String
        /// Creates a value named `rawValue`.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The text shown in messages and logs.
        public var description: String { rawValue }

        /// A check that needs no network failed: a missing or unreadable file, a FIFO, too large, too short,
        /// not media, a thumbnail that is not an image, a track that is not WebVTT or SRT.
        public static let invalidItem = Code(rawValue: "invalidItem")
        /// The file could not be read while it was sent, or changed meanwhile.
        public static let fileUnreadable = Code(rawValue: "fileUnreadable")
        /// The platform answered an error for this item (see ``IngestError/apiError``).
        public static let platformError = Code(rawValue: "platformError")
        /// The platform refused the account itself (a key, a secret, a clock): the run stopped.
        public static let accountRefused = Code(rawValue: "accountRefused")
        /// No answer came (a connection refused, reset or timed out), after the retries.
        public static let noAnswer = Code(rawValue: "noAnswer")
        /// An answer could not be read or lacked what the call promises.
        public static let unexpectedAnswer = Code(rawValue: "unexpectedAnswer")
        /// The server received other bytes than were sent, after the retries.
        public static let digestMismatch = Code(rawValue: "digestMismatch")
        /// No upload link can be had (a track's one link is spent).
        public static let noUploadLink = Code(rawValue: "noUploadLink")
        /// A create whose answer was lost: the item waits for the user to check the account.
        public static let pendingCreate = Code(rawValue: "pendingCreate")
        /// The platform could not process the media (`failed`).
        public static let processingFailed = Code(rawValue: "processingFailed")
        /// The platform is not ready for the next step yet (still processing); a later run resumes.
        public static let notReady = Code(rawValue: "notReady")
        /// The platform could not be asked which items exist before creating them.
        public static let remoteCheckFailed = Code(rawValue: "remoteCheckFailed")
        /// The journal could not be read or written.
        public static let journal = Code(rawValue: "journal")
        /// The pipeline is wrong for the item (a stage missing before another).
        public static let pipeline = Code(rawValue: "pipeline")
        /// A stage failed in its own way (stages of one's own, by default).
        public static let stageFailed = Code(rawValue: "stageFailed")
    }

    /// What kind of failure it is.
    public var code: Code
    /// The item's manifest id.
    public var itemID: String
    /// The stage that failed.
    public var stage: String
    /// What went wrong and what to do.
    public var message: String
    /// What was expected, when it is a comparison.
    public var expected: String?
    /// What was seen instead.
    public var seen: String?
    /// Whether trying again could help.
    public var isRetryable: Bool
    /// The platform's error underneath, when there was one.
    public var apiError: APIError?
    /// The file error underneath, when there was one.
    public var fileError: FileReadError?

    /// Creates an error.
    public init(
        itemID: String, stage: String, message: String, expected: String? = nil, seen: String? = nil,
        isRetryable: Bool = false, code: Code = .stageFailed, apiError: APIError? = nil,
        fileError: FileReadError? = nil
    ) {
        self.code = code
        self.itemID = itemID
        self.stage = stage
        self.message = message
        self.expected = expected
        self.seen = seen
        self.isRetryable = isRetryable
        self.apiError = apiError
        self.fileError = fileError
    }

    /// `item 'intro', stage upload: …; expected …, saw …`.
    public var description: String {
        var text = "item '\(itemID)', stage \(stage): \(message)"
        if let expected, let seen { text += "; expected \(expected), saw \(seen)" }
        return text
    }

    /// `error` as an ``IngestError`` of `item` and `stage`, with a code from what it is; an
    /// ``IngestError`` as it is. The message never shows a secret.
    public static func from(_ error: any Error, item: String, stage: String) -> IngestError {
        if let ingestError = error as? IngestError { return ingestError }
        let retryable = (error as? any RetryableError)?.isRetryable ?? false
        var result = IngestError(
            itemID: item, stage: stage, message: Redaction.redact(bodyText: String(describing: error)),
            isRetryable: retryable, code: .stageFailed)
        switch error {
        case let apiError as APIError:
            result.apiError = apiError
            result.code = apiError.accountWideAdvice != nil ? .accountRefused : .platformError
        case let fileError as FileReadError:
            result.fileError = fileError
            result.code = .fileUnreadable
        case is APITransportError:
            result.code = .noAnswer
        case is UnreadableAnswerError, is AnswerShapeError:
            result.code = .unexpectedAnswer
        case is UploadRejectedError:
            result.code = .platformError
        case is JournalError:
            result.code = .journal
        default:
            break
        }
        return result
    }
}

/// A stage gave up a wait because the run is being stopped; the item counts as interrupted after its
/// last finished stage, not as failed.
public struct IngestInterruption: Error, Sendable, Hashable, CustomStringConvertible {
    /// The item.
    public var itemID: String
    /// The stage that was waiting.
    public var stage: String

    /// Creates the error.
    public init(itemID: String, stage: String) {
        self.itemID = itemID
        self.stage = stage
    }

    /// The text shown in messages and logs.
    public var description: String { "item '\(itemID)', stage \(stage): stopped while waiting" }
}
