import CLibXML2

/// Feeds a body to one libxml2 parse and watches it through hooks in its SAX handler.
///
/// - It hands libxml2 the body a few kilobytes at a time through a read callback, as a file would be
///   read. (Given the whole body in memory, libxml2 2.9 never discards what it has parsed and refuses any
///   body over 10 MB that has texts of 500 bytes or more: "Huge input lookup".)
/// - It collects the errors libxml2 reports (the parse runs with `XML_PARSE_NOERROR`, so libxml2 prints
///   nothing) and keeps the first, with where the parser stood, to tell a cut body from a wrong one.
/// - Before each element is built it checks the depth and counts the element and its attributes against
///   ``DecodingLimits``, and the distinct names against ``maxDistinctNames``; it stops the parser when
///   a limit is broken, so a hostile body never grows a large tree or a slow name dictionary.
/// - A document type declaration stops the parser before its internal subset is read. ``XMLInputScreen``
///   refuses one earlier; this is the second line.
///
/// The monitor is reached from the C callbacks through the parser context's `_private` field and the
/// read callback's context; the caller keeps it alive for the whole parse.
final class XMLParseMonitor {
    /// One error reported by libxml2.
    struct ParserError {
        /// The `xmlParserErrors` code.
        var code: Int32
        /// libxml2's message, without its trailing newline.
        var message: String
        /// The line libxml2 names.
        var line: Int
        /// The byte offset where the parser stood.
        var offset: Int
        /// Whether the parser had read the whole body when it failed.
        var atEnd: Bool
    }

    /// The most distinct names (of elements, attributes, namespace prefixes and URIs, processing
    /// instruction targets) one body may use.
    ///
    /// libxml2 2.9 interns every name in a dictionary whose lookups slow down as it grows: 800,000
    /// distinct element names (28 MB) took 20 s to parse. Real answers use a few hundred.
    static let maxDistinctNames = 10_000

    private let limits: DecodingLimits
    private let body: UnsafeBufferPointer<UInt8>
    /// How many bytes of the body libxml2 has been given.
    private var delivered = 0
    /// The offset of the first byte given to libxml2 (after a byte order mark).
    private var start = 0
    private var valueCount = 0
    /// The names seen so far, by address: libxml2 gives the same interned pointer for the same name.
    private var names = Set<UnsafeRawPointer>()
    /// The first error libxml2 reported, of any level.
    private(set) var firstError: ParserError?
    /// The first error libxml2 reported that can make the body not well formed: not a warning, not a
    /// namespace error (an undeclared prefix is reported, yet the body is read).
    private(set) var firstSeriousError: ParserError?
    /// A refusal of the monitor's own: a limit broken or a DTD seen. It outranks libxml2's errors.
    private(set) var refusal: AnswerDecodingError?

    /// Creates a monitor for parsing `body`, which must stay valid while the monitor is used.
    init(body: UnsafeBufferPointer<UInt8>, limits: DecodingLimits) {
        self.body = body
        self.limits = limits
    }

    /// Parses the body with `context` and `options`.
    ///
    /// - Returns: The document when libxml2 built one; check ``refusal`` and the context's `wellFormed`.
    func parse(with context: xmlParserCtxtPtr, options: Int32) -> xmlDocPtr? {
        install(on: context)
        // Fed through a callback, libxml2 does not skip a UTF-8 byte order mark itself.
        if body.count >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF { delivered = 3 }
        start = delivered
        return xmlCtxtReadIO(
            context,
            { ioContext, buffer, length in
                guard let ioContext, let buffer, length > 0 else { return 0 }
                let monitor = Unmanaged<XMLParseMonitor>.fromOpaque(ioContext).takeUnretainedValue()
                return monitor.read(into: buffer, capacity: Int(length))
            },
            nil, Unmanaged.passUnretained(self).toOpaque(), nil, "UTF-8", options)
    }

    /// Copies the next bytes of the body into libxml2's buffer; 0 at the end.
    private func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int32 {
        let count = min(capacity, body.count - delivered)
        guard count > 0, let base = body.baseAddress else { return 0 }
        UnsafeMutableRawPointer(buffer).copyMemory(from: base + delivered, byteCount: count)
        delivered += count
        return Int32(count)
    }

    /// Puts the hooks into `context`'s SAX handler and points the context at this monitor.
    private func install(on context: xmlParserCtxtPtr) {
        context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
        guard let handler = context.pointee.sax else { return }
        handler.pointee.serror = { userData, error in
            guard case (let context, let monitor)? = XMLParseMonitor.from(userData), let error else { return }
            monitor.record(error.pointee, context: context)
        }
        handler.pointee.startElementNs = {
            userData, localName, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount, attributes in
            guard case (let context, let monitor)? = XMLParseMonitor.from(userData) else { return }
            monitor.noteNames(localName, prefix, uri)
            if let namespaces {
                for index in 0..<2 * Int(namespaceCount) { monitor.noteNames(namespaces[index]) }
            }
            if let attributes {
                // Each attribute is five pointers: local name, prefix, URI, value start, value end.
                for index in 0..<Int(attributeCount) {
                    monitor.noteNames(attributes[5 * index], attributes[5 * index + 1], attributes[5 * index + 2])
                }
            }
            guard monitor.admitElement(context: context, attributeCount: Int(attributeCount)) else { return }
            xmlSAX2StartElementNs(
                userData, localName, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount,
                attributes)
        }
        handler.pointee.processingInstruction = { userData, target, data in
            guard case (let context, let monitor)? = XMLParseMonitor.from(userData) else { return }
            monitor.noteNames(target)
            guard monitor.admitNames(context: context) else { return }
            xmlSAX2ProcessingInstruction(userData, target, data)
        }
        handler.pointee.internalSubset = { userData, _, _, _ in
            guard case (let context, let monitor)? = XMLParseMonitor.from(userData) else { return }
            monitor.refuseDocumentType(context: context)
        }
        handler.pointee.externalSubset = { userData, _, _, _ in
            guard case (let context, let monitor)? = XMLParseMonitor.from(userData) else { return }
            monitor.refuseDocumentType(context: context)
        }
        handler.pointee.entityDecl = { userData, _, _, _, _, _ in
            guard case (let context, let monitor)? = XMLParseMonitor.from(userData) else { return }
            monitor.refuseDocumentType(context: context)
        }
    }

    /// The context and monitor behind the `userData` of a SAX callback (the parser context itself).
    private static func from(_ userData: UnsafeMutableRawPointer?) -> (xmlParserCtxtPtr, XMLParseMonitor)? {
        guard let userData else { return nil }
        let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let monitorPointer = context.pointee._private else { return nil }
        return (context, Unmanaged<XMLParseMonitor>.fromOpaque(monitorPointer).takeUnretainedValue())
    }

    private func record(_ error: xmlError, context: xmlParserCtxtPtr) {
        let isSerious =
            error.level.rawValue >= XML_ERR_ERROR.rawValue && error.domain != Int32(XML_FROM_NAMESPACE.rawValue)
        guard firstError == nil || (isSerious && firstSeriousError == nil) else { return }
        var offset = 0
        var atEnd = false
        if let input = context.pointee.input, let base = input.pointee.base, let current = input.pointee.cur {
            offset = start + Int(input.pointee.consumed) + (current - base)
            if let end = input.pointee.end { atEnd = current >= end && delivered == body.count }
        }
        var message = error.message.map { String(cString: $0) } ?? "no message"
        while message.last?.isWhitespace == true { message.removeLast() }
        let parserError = ParserError(
            code: error.code, message: message, line: Int(error.line), offset: offset, atEnd: atEnd)
        if firstError == nil { firstError = parserError }
        if isSerious && firstSeriousError == nil { firstSeriousError = parserError }
    }

    /// Counts an element about to be built; `false` (and the parser stopped) when it breaks a limit.
    ///
    /// An element one level below ``DecodingLimits/maxDepth`` may still be a scalar, so the parser lets
    /// elements one level deeper through; the tree walk checks containers exactly.
    private func admitElement(context: xmlParserCtxtPtr, attributeCount: Int) -> Bool {
        guard admitNames(context: context) else { return false }
        let depth = Int(context.pointee.nodeNr) + 1
        valueCount += 1 + attributeCount
        if depth > limits.maxDepth + 1 {
            stop(
                context,
                AnswerDecodingError(
                    format: .xml, code: .tooDeep, offset: position(in: context),
                    message: "elements nest deeper than the limit of \(limits.maxDepth)"))
            return false
        }
        if valueCount > limits.maxValues {
            stop(
                context,
                AnswerDecodingError(
                    format: .xml, code: .tooLarge, offset: position(in: context),
                    message: "the body holds more than \(limits.maxValues) elements and attributes"))
            return false
        }
        return true
    }

    /// Adds interned names from libxml2 to the set of names seen.
    private func noteNames(_ pointers: UnsafePointer<xmlChar>?...) {
        for pointer in pointers {
            if let pointer { names.insert(UnsafeRawPointer(pointer)) }
        }
    }

    /// `false` (and the parser stopped) when the body uses too many distinct names.
    private func admitNames(context: xmlParserCtxtPtr) -> Bool {
        guard refusal == nil else { return false }
        guard names.count <= Self.maxDistinctNames else {
            stop(
                context,
                AnswerDecodingError(
                    format: .xml, code: .tooLarge, offset: position(in: context),
                    message: "the body uses more than \(Self.maxDistinctNames) distinct names"))
            return false
        }
        return true
    }

    private func refuseDocumentType(context: xmlParserCtxtPtr) {
        stop(
            context,
            AnswerDecodingError(
                format: .xml, code: .forbidden, offset: position(in: context),
                message: "a document type declaration; DTDs and entities are refused"))
    }

    private func stop(_ context: xmlParserCtxtPtr, _ error: AnswerDecodingError) {
        if refusal == nil { refusal = error }
        xmlStopParser(context)
    }

    private func position(in context: xmlParserCtxtPtr) -> Int? {
        guard let input = context.pointee.input, let base = input.pointee.base, let current = input.pointee.cur else {
            return nil
        }
        return start + Int(input.pointee.consumed) + (current - base)
    }

    /// The error to report for a parse that gave no document.
    func parseFailure() -> AnswerDecodingError {
        if let refusal { return refusal }
        guard let error = firstSeriousError ?? firstError else {
            return AnswerDecodingError(
                format: .xml, code: .syntax, message: "libxml2 refused the body without a reason")
        }
        let code: AnswerDecodingError.Code
        switch error.code {
        case Int32(XML_ERR_DOCUMENT_END.rawValue):
            code = .trailingData
        case Int32(XML_ERR_INTERNAL_ERROR.rawValue) where error.message.contains("Excessive depth"):
            code = .tooDeep
        // libxml2's own size limits without XML_PARSE_HUGE: "Huge input lookup", "xmlSAX2Characters: huge
        // text node", "Name too long", "AttValue length too long".
        case Int32(XML_ERR_INTERNAL_ERROR.rawValue) where error.message.contains("Huge input lookup"),
            Int32(XML_ERR_NO_MEMORY.rawValue), Int32(XML_ERR_NAME_TOO_LONG.rawValue):
            code = .tooLarge
        case Int32(XML_ERR_ATTRIBUTE_NOT_FINISHED.rawValue) where error.message.hasPrefix("AttValue length too long"):
            code = .tooLarge
        case Int32(XML_ERR_TAG_NOT_FINISHED.rawValue):
            code = .truncated
        default:
            code = error.atEnd ? .truncated : .syntax
        }
        return AnswerDecodingError(
            format: .xml, code: code, offset: error.offset, message: "line \(error.line): \(error.message)")
    }
}
