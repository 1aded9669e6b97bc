import CLibXML2

/// Parses an XML body with libxml2, safely, and lends the document to a closure.
///
/// The body first passes ``XMLInputScreen``. libxml2 then reads it, fed by an ``XMLParseMonitor``, as
/// UTF-8 whatever its declaration says, with a set of options that never loads, fetches or expands anything:
/// no `XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD`, `XML_PARSE_DTDATTR`, `XML_PARSE_XINCLUDE` or
/// `XML_PARSE_HUGE` (so libxml2's own limits stay: 256 levels, 10 MB per text); `XML_PARSE_NONET`; and
/// `XML_PARSE_NOERROR`/`XML_PARSE_NOWARNING`, errors being collected by an ``XMLParseMonitor`` instead of
/// printed. A document that still has a DTD after parsing is refused.
enum XMLDocumentParser {
    /// The options given to libxml2.
    static let options: Int32 = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue | XML_PARSE_IGNORE_ENC.rawValue | XML_PARSE_COMPACT.rawValue
            | XML_PARSE_NODICT.rawValue)

    /// Set up libxml2's global state once, before any parse on any thread.
    private static let libraryReady: Void = xmlInitParser()

    /// Parses `body` and calls `read` with the document; the document is freed when `read` returns.
    ///
    /// - Throws: ``AnswerDecodingError`` when the body is refused, or what `read` throws.
    static func withDocument<Result>(
        _ body: UnsafeBufferPointer<UInt8>, limits: DecodingLimits, _ read: (xmlDocPtr) throws -> Result
    ) throws -> Result {
        try XMLInputScreen.check(body)
        _ = libraryReady
        guard let context = xmlNewParserCtxt() else {
            throw AnswerDecodingError(format: .xml, code: .tooLarge, message: "libxml2 could not allocate a parser")
        }
        defer { xmlFreeParserCtxt(context) }
        let monitor = XMLParseMonitor(body: body, limits: limits)
        let document = withExtendedLifetime(monitor) { monitor.parse(with: context, options: options) }
        defer { if let document { xmlFreeDoc(document) } }
        if let refusal = monitor.refusal { throw refusal }
        guard let document, context.pointee.wellFormed != 0 else { throw monitor.parseFailure() }
        guard document.pointee.intSubset == nil && document.pointee.extSubset == nil else {
            throw AnswerDecodingError(
                format: .xml, code: .forbidden, message: "a document type declaration; DTDs and entities are refused")
        }
        return try read(document)
    }
}
