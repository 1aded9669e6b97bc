/// What a ``MultipartScanner`` found in the bytes it was fed.
///
/// For each part, in order: one ``partBegan(_:)``, zero or more ``bodyBytes(_:)``, one ``partEnded``;
/// after the last part, one ``finished``. Nothing follows ``finished``: the epilogue is skipped.
///
/// An event lives only for the call of the handler that receives it: the bytes of ``bodyBytes(_:)`` must
/// be used (hashed, written, copied) before the handler returns.
public enum MultipartEvent {
    /// A part starts; its headers are parsed.
    case partBegan(MultipartPartHeaders)
    /// Bytes of the current part's body, in order; the part's body is these slices joined.
    ///
    /// The buffer is a slice of the chunk given to ``MultipartScanner/feed(_:_:)``, except for bytes held
    /// back at the end of the previous chunk because they could have begun a delimiter: those (fewer than
    /// the boundary's length + 4) come from the scanner's own storage, at the start of a feed. The slices
    /// are never empty and the body is never collected.
    case bodyBytes(UnsafeRawBufferPointer)
    /// The current part's body is complete: its delimiter was found.
    case partEnded
    /// The closing delimiter `--<boundary>--` was found: the multipart body is complete.
    case finished
}

@available(*, unavailable)
extension MultipartEvent: Sendable {}
