import Foundation
import JWPlatform

/// `upload`: streams the item's file to its link, reading it once; records the MD5 and size computed
/// while sending and those the server reports. Items fetched by URL have nothing to send. When the
/// item's video must be created anew (it could not take a new file and was deleted), it asks the runner
/// to go back to `create`.
public struct UploadStage: Stage {
    /// The stage's name in pipelines, events and reports.
    public let name = "upload"

    /// Creates the stage.
    public init() {}

    /// `create` comes first.
    public var requirements: [String] { ["create"] }

    /// Does the stage's work for one item; see the type's discussion.
    @discardableResult
    public func run(_ state: inout ItemState, _ context: StageContext) async throws -> StageOutcome {
        if let v2 = context.v2, context.item.kind == .video { return try await V2Upload.run(&state, context, v2) }
        guard let file = context.item.file, state.received == nil, !state.verified else { return .done }
        let size = try state.fileSize ?? Self.size(of: file, context)
        state.fileSize = size
        // A renewal may replace the link (and write it to the journal): what it made is kept in `renewed`
        // whether the send then succeeds or not.
        var renewed = state
        let result: FileUploadResult
        do {
            let link = try await UploadLinks.usable(&renewed, context)
            let method = context.item.uploadMethod(context.options)
            result = try await FileTransfer.send(
                file, size: size, what: "file", method: method,
                redirect: method == .form ? context.item.redirect : nil, verify: false, context: context,
                link: link, renewLink: { try await UploadLinks.fresh(&renewed, context) })
        } catch let gone as UploadLinks.AssetGone {
            state = renewed
            return .resend(from: "create", because: context.failure(gone.reason, code: .platformError))
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
        return .done
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
                "cannot read \(error); check the path (relative paths start at the manifest's folder)",
                code: .invalidItem)
        }
        guard status.isRegular else {
            throw context.failure("cannot send \(file.path): it \(status.refusal)", code: .invalidItem)
        }
        return status.size
    }
}
