import Foundation

/// How a file is cut into the parts of a v2 multipart upload: every part `partSize` bytes but the last,
/// within the platform's rules (API.md §7): parts of at least 5 MiB except the last, at most 10,000 parts,
/// files up to 25 GB.
public struct MultipartPlan: Sendable, Hashable {
    /// The smallest part but the last: 5 MiB.
    public static let minimumPartSize: Int64 = 5 * 1024 * 1024
    /// The most parts an upload may have.
    public static let maximumPartCount = 10_000
    /// The largest file a multipart upload takes: 25 GB as the official client counts it (25 × 1000 MiB).
    public static let maximumFileSize: Int64 = 25 * 1000 * 1024 * 1024

    /// The file's size.
    public let fileSize: Int64
    /// The size of every part but the last.
    public let partSize: Int64

    /// A plan of parts of `partSize` bytes for a file of `fileSize` bytes. When `partSize` would make
    /// more than 10,000 parts it is raised to the smallest size (a whole number of MiB) that keeps them
    /// within the limit.
    ///
    /// - Throws: ``MultipartPlanError`` for a part size under 5 MiB, an empty file, or a file over 25 GB.
    public init(fileSize: Int64, partSize: Int64) throws {
        guard fileSize > 0 else { throw MultipartPlanError(reason: "the file is empty") }
        guard fileSize <= Self.maximumFileSize else {
            throw MultipartPlanError(
                reason:
                    "the file has \(fileSize) bytes; a multipart upload takes at most \(Self.maximumFileSize) (25 GB)")
        }
        guard partSize >= Self.minimumPartSize else {
            throw MultipartPlanError(
                reason: "a part size of \(partSize) bytes is under the platform's minimum of 5 MiB (5242880)")
        }
        let mebibyte: Int64 = 1024 * 1024
        let fewest = (fileSize + Int64(Self.maximumPartCount) - 1) / Int64(Self.maximumPartCount)
        let raised = (fewest + mebibyte - 1) / mebibyte * mebibyte
        self.fileSize = fileSize
        self.partSize = max(partSize, raised)
    }

    /// How many parts the file makes.
    public var partCount: Int { Int((fileSize + partSize - 1) / partSize) }

    /// The byte range of part `number` (1-based) of `file`.
    public func range(of number: Int, in file: URL) -> FileRange {
        let offset = Int64(number - 1) * partSize
        return FileRange(file: file, offset: offset, length: min(partSize, fileSize - offset), fileSize: fileSize)
    }
}

/// A file that cannot be sent as a multipart upload with the sizes asked for.
public struct MultipartPlanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why.
    public var reason: String

    /// Creates an error.
    public init(reason: String) { self.reason = reason }

    /// The text shown in messages and logs.
    public var description: String { "cannot plan the multipart upload: \(reason)" }
}
