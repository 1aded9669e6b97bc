/// The checks an XML body passes before libxml2 sees it.
///
/// - The body must be well-formed UTF-8 without NUL bytes. The parser is told the body is UTF-8, and
///   without NUL bytes it cannot guess UTF-16 or UCS-4 either, so the byte scan below sees the markup
///   libxml2 will see.
/// - The prolog (byte order mark, whitespace, XML declaration, processing instructions, comments: all
///   that may come before the root element) must not hold a `<!DOCTYPE`. A document type declaration can
///   appear nowhere else, so this refuses external entities, parameter entities and entity expansion
///   bombs before any parsing, in time proportional to the prolog alone.
enum XMLInputScreen {
    /// Throws when `body` must not be handed to libxml2.
    ///
    /// - Throws: ``AnswerDecodingError`` with ``AnswerDecodingError/Code/forbidden`` for a document type
    ///   declaration, ``AnswerDecodingError/Code/invalidUTF8``, ``AnswerDecodingError/Code/syntax`` for
    ///   a NUL byte, ``AnswerDecodingError/Code/truncated`` for a blank body or one that ends inside a
    ///   character or inside the prolog's markup.
    static func check(_ body: UnsafeBufferPointer<UInt8>) throws {
        try refuseDocumentType(in: body)
        if let fault = AnswerUTF8Validator.firstFault(in: body, refusingNUL: true) {
            if body[fault.offset] == 0 {
                throw failure(.syntax, "a NUL byte, which XML cannot carry", at: fault.offset)
            }
            if fault.truncated {
                throw failure(.truncated, "the body ends inside a UTF-8 character", at: fault.offset)
            }
            throw failure(.invalidUTF8, "bytes that are not valid UTF-8", at: fault.offset)
        }
        if body.allSatisfy(isBlank) {
            throw failure(.truncated, "the body is empty; a <response> element was expected", at: 0)
        }
    }

    /// Scans the prolog and throws when it holds a document type declaration, or ends inside a
    /// declaration, processing instruction or comment (which cannot be well formed).
    static func refuseDocumentType(in body: UnsafeBufferPointer<UInt8>) throws {
        var index = 0
        if body.count >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF { index = 3 }
        while index < body.count {
            if isBlank(body[index]) {
                index += 1
                continue
            }
            // Anything but markup that may precede the root element ends the prolog; libxml2 judges it.
            guard body[index] == UInt8(ascii: "<"), index + 1 < body.count else { return }
            switch body[index + 1] {
            case UInt8(ascii: "?"):
                guard let end = find("?>", in: body, from: index + 2) else {
                    throw failure(
                        .truncated, "the body ends inside the XML declaration or a processing instruction", at: index)
                }
                index = end + 2
            case UInt8(ascii: "!"):
                if matches("<!--", in: body, at: index, ignoringCase: false) {
                    guard let end = find("-->", in: body, from: index + 4) else {
                        throw failure(.truncated, "the body ends inside a comment", at: index)
                    }
                    index = end + 3
                } else if matches("<!DOCTYPE", in: body, at: index, ignoringCase: true) {
                    throw failure(
                        .forbidden,
                        "a document type declaration (<!DOCTYPE …>); DTDs and entities are refused",
                        at: index)
                } else {
                    return
                }
            default:
                return
            }
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Whether `pattern` (ASCII) is at `index`; a pattern cut short by the end of the body does not match.
    private static func matches(
        _ pattern: StaticString, in body: UnsafeBufferPointer<UInt8>, at index: Int, ignoringCase: Bool
    ) -> Bool {
        let count = pattern.utf8CodeUnitCount
        guard index + count <= body.count else { return false }
        let expected = pattern.utf8Start
        for offset in 0..<count {
            var byte = body[index + offset]
            if ignoringCase && byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { byte -= 0x20 }
            if byte != expected[offset] { return false }
        }
        return true
    }

    /// The offset of the first `pattern` (ASCII) at or after `start`.
    private static func find(_ pattern: StaticString, in body: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let first = pattern.utf8Start[0]
        var index = start
        while index < body.count {
            if body[index] == first && matches(pattern, in: body, at: index, ignoringCase: false) { return index }
            index += 1
        }
        return nil
    }

    private static func failure(
        _ code: AnswerDecodingError.Code, _ message: String, at offset: Int
    ) -> AnswerDecodingError {
        AnswerDecodingError(format: .xml, code: code, offset: offset, message: message)
    }
}
