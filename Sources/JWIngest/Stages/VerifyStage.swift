/// `verify`: compares the MD5 and size the server reports (or the S3 ETag) with those computed while
/// sending, with no second read of the file. A mismatch sends the file again with a new link, up to the
/// manifest's `retries`; then the item fails with both digests.
public struct VerifyStage: Stage {
    public let name = "verify"

    /// Creates the stage.
    public init() {}

    public func run(_ state: inout ItemState, _ context: StageContext) async throws {
        guard context.item.file != nil, !state.verified else { return }
        guard state.sent != nil, state.received != nil else {
            throw context.failure("nothing was uploaded to verify; put upload before verify")
        }
        var resends = 0
        while let sent = state.sent, let received = state.received, sent != received {
            guard resends < context.options.retries else {
                throw context.failure(
                    "the server received other bytes than were sent, \(resends + 1) times", expected: "\(sent)",
                    seen: "\(received)")
            }
            resends += 1
            context.emit(
                .retry(
                    item: context.item.id, stage: name, attempt: resends + 1, delay: 0,
                    reason: "digest mismatch: sent \(sent), server reports \(received); sending again"))
            state.sent = nil
            state.received = nil
            state.uploadLink = nil
            try await UploadStage().run(&state, context)
        }
        state.verified = true
    }
}
