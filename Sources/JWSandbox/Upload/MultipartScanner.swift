#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An incremental `multipart/form-data` parser that streams part bodies without collecting them.
///
/// Feed it the request body in chunks of any size with ``feed(_:_:)``; it calls the handler with
/// ``MultipartEvent``s as it finds them: a part's parsed headers, its body as slices of the chunk, its end,
/// and the end of the multipart body. Call ``finish()`` when the request body ends: it throws if the
/// closing delimiter was never seen.
///
/// ```swift
/// var scanner = MultipartScanner(boundary: try MultipartBoundary(contentType: contentType))
/// var inFile = false
/// for try await buffer in request.body {
///     try buffer.withUnsafeReadableBytes { chunk in
///         try scanner.feed(chunk) { event in
///             switch event {
///             case .partBegan(let headers): inFile = headers.name == "file"
///             case .bodyBytes(let bytes) where inFile: md5.update(bufferPointer: bytes); try file.write(bytes)
///             case .partEnded: inFile = false
///             default: break
///             }
///         }
///     }
/// }
/// try scanner.finish()
/// ```
///
/// The body is searched for the delimiter `CRLF--<boundary>` with Horspool's method, which reads only
/// about one byte in the delimiter's length; body bytes between delimiters are passed on as whole slices.
/// A delimiter split across chunks is found: at most the boundary's length + 3 bytes are held back from
/// one feed to the next. The body is read as if a CRLF came before it, so that the first boundary may
/// start the body; anything before it (the preamble) and after the closing delimiter (the epilogue) is
/// skipped.
/// Whitespace after a boundary (transport padding) is allowed. Each part's header block, up to
/// ``headerBlockLimit`` bytes, is collected and parsed by ``MultipartPartHeaders``. Lines must end in CRLF.
///
/// After any error, from the body or from the handler, the scanner refuses further input.
public struct MultipartScanner: Sendable {
    /// The default ``headerBlockLimit``: 16 KiB.
    public static let defaultHeaderBlockLimit = 16 * 1024

    /// The boundary that separates the parts.
    public let boundary: MultipartBoundary
    /// The most bytes a part's header block may take, its final blank line included.
    public let headerBlockLimit: Int

    /// Finds `CRLF--<boundary>`.
    private let search: MultipartDelimiterSearch
    /// The end of the previous chunk, which begins the delimiter: always a proper prefix of `delimiter`.
    private var carry: [UInt8]
    /// The current part's header block so far, after a CRLF that stands for the boundary line's end.
    private var headerBlock: [UInt8] = []
    private var headerBlockOffset = 0
    private var state = State.preamble
    private var partNumber = 0
    private var partName = ""
    /// Bytes fed before the current chunk.
    private var consumed = 0

    private enum State: Sendable {
        /// Before the first delimiter: bytes are skipped.
        case preamble
        /// In a part's body: bytes are passed on.
        case body
        /// Right after a delimiter.
        case afterDelimiter
        /// In whitespace after a delimiter.
        case padding
        /// After a delimiter and one `-`.
        case closingHyphen
        /// After a delimiter line's CR.
        case lineFeed
        /// In a part's header block.
        case headers
        /// After the closing delimiter: bytes are skipped.
        case epilogue
        /// After an error.
        case failed
    }

    /// Creates a scanner for one multipart body.
    ///
    /// - Parameters:
    ///   - boundary: The boundary from the request's `Content-Type`.
    ///   - headerBlockLimit: The most bytes a part's header block may take.
    public init(boundary: MultipartBoundary, headerBlockLimit: Int = Self.defaultHeaderBlockLimit) {
        self.boundary = boundary
        self.headerBlockLimit = headerBlockLimit
        self.search = MultipartDelimiterSearch(delimiter: Array("\r\n--".utf8) + boundary.bytes)
        self.carry = [MultipartByte.carriageReturn, MultipartByte.lineFeed]
        self.carry.reserveCapacity(search.delimiter.count)
    }

    /// Whether the closing delimiter has been seen.
    public var isFinished: Bool {
        if case .epilogue = state { return true }
        return false
    }

    /// The number of bytes fed so far.
    public var bytesFed: Int { consumed }

    /// Parses the next chunk of the multipart body.
    ///
    /// The handler is called, in order, with every event that the chunk completes. The bytes of a
    /// ``MultipartEvent/bodyBytes(_:)`` event are valid only during the call.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the body, of any size.
    ///   - handler: Called with each event; an error it throws ends the parse and is thrown on.
    /// - Throws: ``MultipartError`` for a malformed body (see ``MultipartError/Code``), or what the
    ///   handler throws.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ handler: (MultipartEvent) throws -> Void) throws {
        if case .failed = state {
            throw MultipartError(code: .truncated, offset: consumed, message: "the scanner failed before")
        }
        guard chunk.count > 0 else { return }
        do {
            let delimiter = search.delimiter
            try delimiter.withUnsafeBytes { delimiter in
                var index = 0
                while index < chunk.count {
                    switch state {
                    case .preamble, .body:
                        index = try scan(chunk, from: index, delimiter: delimiter, handler)
                    case .headers:
                        index = try readHeaders(chunk, from: index, handler)
                    case .epilogue:
                        index = chunk.count
                    case .afterDelimiter, .padding, .closingHyphen, .lineFeed, .failed:
                        try readDelimiterLine(chunk[index], at: index, handler)
                        index += 1
                    }
                }
            }
            consumed += chunk.count
        } catch {
            state = .failed
            throw error
        }
    }

    /// Parses the next chunk of the multipart body, given as an array.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the body.
    ///   - handler: Called with each event, as in ``feed(_:_:)``.
    /// - Throws: As ``feed(_:_:)``.
    public mutating func feed(_ chunk: [UInt8], _ handler: (MultipartEvent) throws -> Void) throws {
        try chunk.withUnsafeBytes { try feed($0, handler) }
    }

    /// Checks that the multipart body is complete, once the request body has ended.
    ///
    /// - Throws: ``MultipartError`` with ``MultipartError/Code/truncated`` if the closing delimiter
    ///   `--<boundary>--` was not seen.
    public func finish() throws {
        let message: String
        switch state {
        case .epilogue:
            return
        case .preamble:
            message = "the body ends before its first boundary '--\(boundary)'"
        case .headers:
            message = "the body ends inside the headers of part \(partNumber)"
        case .body:
            message = "the body ends inside part \(partNumber) ('\(partName)'), before the delimiter '--\(boundary)'"
        case .afterDelimiter, .padding, .closingHyphen, .lineFeed:
            message = "the body ends in the boundary line after part \(partNumber)"
        case .failed:
            message = "the scanner failed before"
        }
        throw MultipartError(code: .truncated, offset: consumed, message: message)
    }

    // MARK: - States

    /// Looks for the delimiter from `start`, passing the bytes before it on in a body and skipping them in
    /// the preamble. Returns the index after the delimiter, or the chunk's end.
    private mutating func scan(
        _ chunk: UnsafeRawBufferPointer,
        from start: Int,
        delimiter: UnsafeRawBufferPointer,
        _ handler: (MultipartEvent) throws -> Void
    ) throws -> Int {
        let base = chunk.baseAddress!
        let end = chunk.count
        let length = delimiter.count
        let delivering = state == .body

        if !carry.isEmpty {
            let held = carry.count
            let wanted = length - held
            let available = min(wanted, end - start)
            if memcmp(base + start, delimiter.baseAddress! + held, available) == 0 {
                if available < wanted {
                    carry.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: available))
                    return end
                }
                carry.removeAll(keepingCapacity: true)
                try delimiterFound(handler)
                return start + wanted
            }
            // Not a delimiter. The carry's only CR is its first byte, so no delimiter starts later in it.
            if delivering {
                try carry.withUnsafeBytes { try handler(.bodyBytes($0)) }
            }
            carry.removeAll(keepingCapacity: true)
        }

        if let index = search.firstMatch(in: chunk, from: start, to: end) {
            if delivering, index > start {
                try handler(.bodyBytes(UnsafeRawBufferPointer(start: base + start, count: index - start)))
            }
            try delimiterFound(handler)
            return index + length
        }
        if let index = search.partialMatchAtEnd(in: chunk, from: start, to: end) {
            // The chunk ends in a beginning of the delimiter: hold it back.
            if delivering, index > start {
                try handler(.bodyBytes(UnsafeRawBufferPointer(start: base + start, count: index - start)))
            }
            carry.append(contentsOf: UnsafeRawBufferPointer(start: base + index, count: end - index))
            return end
        }
        if delivering, end > start {
            try handler(.bodyBytes(UnsafeRawBufferPointer(start: base + start, count: end - start)))
        }
        return end
    }

    private mutating func delimiterFound(_ handler: (MultipartEvent) throws -> Void) throws {
        if state == .body {
            try handler(.partEnded)
        }
        state = .afterDelimiter
    }

    /// Reads one byte of what follows a delimiter: `--`, or whitespace and CRLF.
    private mutating func readDelimiterLine(
        _ byte: UInt8,
        at index: Int,
        _ handler: (MultipartEvent) throws -> Void
    ) throws {
        switch (state, byte) {
        case (.afterDelimiter, MultipartByte.hyphen):
            state = .closingHyphen
        case (.afterDelimiter, MultipartByte.space), (.afterDelimiter, MultipartByte.tab),
            (.padding, MultipartByte.space), (.padding, MultipartByte.tab):
            state = .padding
        case (.afterDelimiter, MultipartByte.carriageReturn), (.padding, MultipartByte.carriageReturn):
            state = .lineFeed
        case (.closingHyphen, MultipartByte.hyphen):
            state = .epilogue
            try handler(.finished)
        case (.lineFeed, MultipartByte.lineFeed):
            state = .headers
            partNumber += 1
            headerBlock.removeAll(keepingCapacity: true)
            headerBlock.append(contentsOf: [MultipartByte.carriageReturn, MultipartByte.lineFeed])
            headerBlockOffset = consumed + index + 1
        default:
            let expected =
                switch state {
                case .closingHyphen: "a second '-' of the closing delimiter"
                case .lineFeed: "a line feed after the carriage return"
                default: "'--', whitespace or a line end"
                }
            let found = MultipartByte.describe(byte)
            throw MultipartError(
                code: .malformedDelimiter,
                offset: consumed + index,
                message: "after the boundary '--\(boundary)' expected \(expected), found \(found)"
            )
        }
    }

    /// Collects the header block from `start` up to its blank line, then parses it and starts the body.
    /// Returns the index after the blank line, or the chunk's end.
    private mutating func readHeaders(
        _ chunk: UnsafeRawBufferPointer,
        from start: Int,
        _ handler: (MultipartEvent) throws -> Void
    ) throws -> Int {
        let rest = UnsafeRawBufferPointer(rebasing: chunk[start...])
        guard let blockEnd = Self.headerBlockEnd(held: headerBlock.suffix(3), next: rest) else {
            // The seed CRLF is not part of the block.
            if headerBlock.count - 2 + rest.count >= headerBlockLimit {
                throw tooLarge()
            }
            headerBlock.append(contentsOf: rest)
            return chunk.count
        }
        if headerBlock.count - 2 + blockEnd > headerBlockLimit {
            throw tooLarge()
        }
        headerBlock.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[..<blockEnd]))
        let lines = headerBlock.count == 4 ? headerBlock[2..<2] : headerBlock[2..<(headerBlock.count - 4)]
        let headers = try MultipartPartHeaders(parsingBlock: lines, offset: headerBlockOffset, part: partNumber)
        partName = headers.name
        state = .body
        try handler(.partBegan(headers))
        return start + blockEnd
    }

    private func tooLarge() -> MultipartError {
        MultipartError(
            code: .headerBlockTooLarge,
            offset: headerBlockOffset,
            message: "the headers of part \(partNumber) take more than \(headerBlockLimit) bytes"
        )
    }

    /// Where `CRLF CRLF` ends in `next`, given the last bytes of the block so far (at least the seed CRLF).
    private static func headerBlockEnd(held: ArraySlice<UInt8>, next: UnsafeRawBufferPointer) -> Int? {
        let terminator: [UInt8] = [
            MultipartByte.carriageReturn, MultipartByte.lineFeed, MultipartByte.carriageReturn,
            MultipartByte.lineFeed,
        ]
        // A terminator that starts in the held bytes.
        let window = Array(held) + next.prefix(3)
        for start in 0..<held.count where start + 4 <= window.count {
            if window[start..<(start + 4)].elementsEqual(terminator) {
                return start + 4 - held.count
            }
        }
        // One that starts in the new bytes.
        guard let base = next.baseAddress else { return nil }
        var searchFrom = 0
        while searchFrom < next.count,
            let found = memchr(base + searchFrom, Int32(MultipartByte.carriageReturn), next.count - searchFrom)
        {
            let index = base.distance(to: UnsafeRawPointer(found))
            if index + 4 > next.count { return nil }
            if memcmp(found, terminator, 4) == 0 { return index + 4 }
            searchFrom = index + 1
        }
        return nil
    }
}
