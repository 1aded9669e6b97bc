import NIOCore

/// The body of an upload whose file fits in one chunk: the file read once (hashed, counted and paced by
/// ``FileChunks`` as it is read, its end checked) into one buffer between the bytes that frame it.
///
/// The request then goes out in one write, without the read-ahead task and the per-chunk hand-offs that a
/// large file needs: for a small item those cost more than the file itself (issue 14). Nothing larger
/// than one chunk (256 KiB by default) is ever held.
enum SmallFileBody {
    /// `head`, the file's bytes, then `tail`, in one buffer.
    ///
    /// - Throws: ``FileReadError`` when the file cannot be read, or is not the size announced.
    static func read(_ file: FileChunks, head: ByteBuffer? = nil, tail: ByteBuffer? = nil) async throws -> ByteBuffer {
        let framing = (head?.readableBytes ?? 0) + (tail?.readableBytes ?? 0)
        var body = ByteBufferAllocator().buffer(capacity: Int(file.expectedSize) + framing)
        if let head { body.writeImmutableBuffer(head) }
        // One chunk, then the iterator's check that the file ends where announced.
        for try await chunk in file { body.writeImmutableBuffer(chunk) }
        if let tail { body.writeImmutableBuffer(tail) }
        return body
    }
}
