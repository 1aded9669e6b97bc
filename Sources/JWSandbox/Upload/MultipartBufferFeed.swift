import NIOCore

/// What ``MultipartScanner/feed(buffer:_:)`` found: a ``MultipartEvent`` whose body bytes are a
/// `ByteBuffer` that may be kept after the call.
enum MultipartBufferEvent {
    /// A part starts; its headers are parsed.
    case partBegan(MultipartPartHeaders)
    /// Bytes of the current part's body, in order: a slice sharing the fed chunk's storage (no copy), or,
    /// for the few bytes held back from the previous chunk, a small buffer of their own.
    case bodyBytes(ByteBuffer)
    /// The current part's body is complete.
    case partEnded
    /// The closing delimiter was found.
    case finished
}

extension MultipartScanner {
    /// Parses the next chunk of the multipart body, given as a `ByteBuffer`, and passes part bodies on as
    /// slices of it, which (unlike the pointers of ``feed(_:_:)``) outlive the call: a consumer may hand
    /// them to another thread without copying them.
    ///
    /// - Parameters:
    ///   - buffer: The next bytes of the body (its readable bytes), of any size.
    ///   - handler: Called with each event, in order; an error it throws ends the parse and is thrown on.
    /// - Throws: As ``feed(_:_:)``.
    mutating func feed(buffer: ByteBuffer, _ handler: (MultipartBufferEvent) throws -> Void) throws {
        try buffer.withUnsafeReadableBytes { whole in
            try feed(whole) { event in
                switch event {
                case .partBegan(let headers): try handler(.partBegan(headers))
                case .bodyBytes(let bytes): try handler(.bodyBytes(Self.slice(bytes, of: buffer, readableBytes: whole)))
                case .partEnded: try handler(.partEnded)
                case .finished: try handler(.finished)
                }
            }
        }
    }

    /// `bytes` as a slice of `buffer` when they lie in its readable bytes (`whole`), else as a copy.
    private static func slice(
        _ bytes: UnsafeRawBufferPointer, of buffer: ByteBuffer, readableBytes whole: UnsafeRawBufferPointer
    ) -> ByteBuffer {
        if let base = whole.baseAddress, let start = bytes.baseAddress, start >= base,
            start + bytes.count <= base + whole.count,
            let slice = buffer.getSlice(at: buffer.readerIndex + base.distance(to: start), length: bytes.count)
        {
            return slice
        }
        return ByteBuffer(bytes: bytes)
    }
}
