import Foundation

/// One file to send to an upload link.
public struct FileUpload: Sendable, Hashable {
    /// The file on disk.
    public var file: URL
    /// Its size in bytes, as measured before sending; the body announces exactly this many.
    public var size: Int64
    /// The link of a create or update answer.
    public var link: UploadLink
    /// The regular multipart form POST, or the S3 PUT to a presigned link.
    public var method: UploadMethod
    /// Redirect options for the form method (API.md §3); ignored for S3.
    public var redirect: UploadRedirect?
    /// The name the form part gives the file; the file's own name by default.
    public var fileName: String?
    /// Bytes read from disk at a time.
    public var chunkSize: Int

    /// Creates an upload of `file` (of `size` bytes) to `link`.
    public init(
        file: URL, size: Int64, link: UploadLink, method: UploadMethod = .form, redirect: UploadRedirect? = nil,
        fileName: String? = nil, chunkSize: Int = 256 << 10
    ) {
        self.file = file
        self.size = size
        self.link = link
        self.method = method
        self.redirect = redirect
        self.fileName = fileName
        self.chunkSize = chunkSize
    }
}

/// What an upload sent and what the server says it received.
public struct FileUploadResult: Sendable, Hashable {
    /// The MD5 and size computed while sending, in the same pass that read the file.
    public var sent: FileDigest
    /// The MD5 and size the server reports: the form answer's `md5`/`size`, or the S3 ETag and the size.
    public var received: FileDigest
    /// The asset key in the answer, when it has one.
    public var key: String?
    /// Where the server redirected, when the upload asked for a redirect.
    public var redirectAddress: String?
    /// The HTTP status of the answer (200, or 302 with a redirect).
    public var httpStatus: Int

    /// Whether the server received exactly what was sent.
    public var matches: Bool { sent == received }
}
