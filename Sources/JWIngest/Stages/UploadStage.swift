import Foundation
import JWPlatform

/// `upload`: streams the item's file to its link, reading it once; records the MD5 and size computed
/// while sending and those the server reports. Items fetched by URL have nothing to send.
public struct UploadStage: Stage {
    public let name = "upload"

    /// Creates the stage.
    public init() {}

    public func run(_ state: inout ItemState, _ context: StageContext) async throws {
        guard let file = context.item.file, state.received == nil, !state.verified else { return }
        let size = try state.fileSize ?? Self.size(of: file, context)
        state.fileSize = size
        let link = try await UploadLinks.usable(&state, context)
        // A renewal during the send may replace the link or even the video: what it made is kept in
        // `renewed` (and in the journal) whether the send then succeeds or not.
        var renewed = state
        let result: FileUploadResult
        do {
            let method = context.item.uploadMethod(context.options)
            result = try await FileSending.send(
                file, size: size, method: method, redirect: method == .form ? context.item.redirect : nil,
                context: context, link: link, renewLink: { try await UploadLinks.fresh(&renewed, context) })
        } catch {
            state = renewed
            throw error
        }
        state = renewed
        state.uploadLink = nil
        state.linkIssuedAt = nil
        state.uploads += 1
        state.sent = result.sent
        state.received = result.received
        // A new file is processed anew: wait-ready must wait for it, not trust an earlier `ready`.
        state.remoteStatus = nil
    }

    /// The size of a file to send, symlinks followed.
    ///
    /// - Throws: An ``IngestError`` naming the file when it is missing, unreadable or not a regular file
    ///   (a FIFO or a device would never end).
    static func size(of file: URL, _ context: StageContext) throws -> Int64 {
        let status: FileStatus
        do {
            status = try FileStatus(path: file.path)
        } catch {
            throw context.failure(
                "cannot read \(error); check the path (relative paths start at the manifest's folder)")
        }
        guard status.isRegular else { throw context.failure("cannot send \(file.path): it \(status.refusal)") }
        return status.size
    }
}
