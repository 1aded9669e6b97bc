/// `verify`: compares the MD5 and size the server reports (or the S3 ETag) with those computed while
/// sending, with no second read of the file. A mismatch asks the runner to run `upload` again (a new
/// link, a fresh read), up to the manifest's `retries`; then the item fails with both digests.
public struct VerifyStage: Stage {
    /// The stage's name in pipelines, events and reports.
    public let name = "verify"

    /// Local: it reads the file or compares digests, and calls nothing.
    public var isLocal: Bool { true }

    /// Creates the stage.
    public init() {}

    /// `upload` comes first.
    public var requirements: [String] { ["upload"] }

    /// Does the stage's work for one item; see the type's discussion.
    @discardableResult
    public func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome {
        guard context.item.file != nil, !state.verified else { return .done }
        guard let sent = state.sent, let received = state.received else {
            throw context.failure("nothing was uploaded to verify; put upload before verify", code: .pipeline)
        }
        guard sent != received else {
            state.verified = true
            return .done
        }
        // Sent again from `upload`, on a new link; after the manifest's `retries`, this is the failure.
        state.sent = nil
        state.received = nil
        state.uploadLink = nil
        state.linkIssuedAt = nil
        state.v2Upload = nil
        return .resend(
            from: "upload",
            because: context.failure(
                "the server received other bytes than were sent", expected: "\(sent)", seen: "\(received)",
                code: .digestMismatch))
    }
}
