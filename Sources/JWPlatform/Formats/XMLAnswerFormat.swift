/// The `xml` answer format: a `<response>` element, read through libxml2 and written by hand.
///
/// ## Reading
///
/// The body is checked before libxml2 sees it: it must be UTF-8 (the encoding declaration is ignored),
/// and a document type declaration is refused at once (``AnswerDecodingError/Code/forbidden``), so no
/// entity is ever expanded and nothing is ever fetched from a file or the network. libxml2 then parses
/// with a safe set of options and prints nothing; elements deeper than ``DecodingLimits/maxDepth``, more
/// elements and attributes than ``DecodingLimits/maxValues`` or more than 10,000 distinct names (libxml2
/// 2.9's name dictionary slows down quadratically beyond) stop the parse.
///
/// XML carries no types, so every scalar reads as a string. The mapping:
///
/// - `<size>21545452</size>` → `"size": "21545452"`; an empty element → `""`.
/// - `<video key="tL17msiU"><md5>…</md5></video>` → an object: attributes in order, then child elements.
/// - Repeated child elements → one member holding an array:
///   `<tags><tag>a</tag><tag>b</tag></tags>` → `"tags": {"tag": ["a", "b"]}`; a single one reads as a
///   plain member.
/// - An element with a `total` attribute is a list whatever its children are named:
///   `<videos total="1"><video key="a"/></videos>` → `"videos": [{"key": "a"}]`,
///   `<videos total="0"/>` → `[]`.
/// - An element with attributes (or child elements) and text that is not only whitespace keeps the text
///   in a member named `#text`: `<title lang="en">Démo</title>` → `{"lang": "en", "#text": "Démo"}`.
///   Whitespace between child elements is dropped.
///
/// ## Writing
///
/// The root must be an object. A member named `key` with a scalar value becomes an attribute; other
/// scalars become elements holding their text (null an empty element); an array becomes an element with
/// a `total` attribute whose elements are named after the array without its final `s` (`videos` →
/// `video`), or `item`. A member name that is not an XML name without `:`, or a text holding a character
/// XML 1.0 cannot carry (control characters other than tab, line feed and carriage return; U+FFFE,
/// U+FFFF), is refused with ``AnswerEncodingError``.
///
/// ## Round trips
///
/// `decode(encode(v)) == normalized(v)` for every tree the writer accepts, within the decoding limits;
/// see ``normalized(_:)``.
public struct XMLAnswerFormat: AnswerFormat {
    /// The limits the reader enforces. libxml2 adds its own, which this format does not lift: 256 levels
    /// of elements and 10,000,000 bytes of text per element or attribute.
    public var limits: DecodingLimits

    /// Creates the format.
    ///
    /// - Parameter limits: The limits the reader enforces; ``DecodingLimits/standard`` when not given.
    public init(limits: DecodingLimits = .standard) {
        self.limits = limits
    }

    /// `xml`.
    public var name: AnswerFormatName { .xml }

    /// Reads one XML answer.
    ///
    /// - Parameter bytes: The whole body.
    /// - Returns: The tree of the `<response>` element, as described for ``XMLAnswerFormat``.
    /// - Throws: ``AnswerDecodingError``: ``AnswerDecodingError/Code/forbidden`` for a DTD,
    ///   ``AnswerDecodingError/Code/invalidUTF8``, ``AnswerDecodingError/Code/tooLarge`` (body, values),
    ///   ``AnswerDecodingError/Code/tooDeep``, ``AnswerDecodingError/Code/truncated`` (also for an empty
    ///   body), ``AnswerDecodingError/Code/trailingData``, and ``AnswerDecodingError/Code/syntax`` for any
    ///   other fault, a root other than `<response>` included.
    public func decode(_ bytes: [UInt8]) throws -> APIValue {
        guard bytes.count <= limits.maxBytes else {
            throw AnswerDecodingError(
                format: .xml, code: .tooLarge,
                message: "the body holds \(bytes.count) bytes, more than the limit of \(limits.maxBytes)")
        }
        let reader = XMLTreeReader(limits: limits)
        return try bytes.withUnsafeBufferPointer { buffer in
            try XMLDocumentParser.withDocument(buffer, limits: limits) { document in
                try reader.read(document)
            }
        }
    }

    /// Writes `value` as an XML answer.
    ///
    /// - Parameter value: The tree to write; its root must be an object.
    /// - Returns: The UTF-8 bytes of `<?xml version="1.0" encoding="UTF-8"?>`, a line feed and the
    ///   `<response>` element.
    /// - Throws: ``AnswerEncodingError`` with the path of the offending value: a root that is not an
    ///   object, a member name that is not an XML name, a text XML cannot carry.
    public func encode(_ value: APIValue) throws -> [UInt8] {
        var writer = XMLWriter()
        try writer.writeDocument(value)
        return writer.output
    }

    /// The tree a round trip through XML gives back for `value`.
    ///
    /// - Every scalar becomes its text (``APIValue/text``; null becomes `""`).
    /// - An empty object becomes `""`, since it is written as an empty element.
    /// - In an object, a member `key` holding a scalar moves first, since it is written as an attribute.
    /// - Arrays and objects are normalized element by element.
    ///
    /// - Parameter value: A tree.
    /// - Returns: The normalized tree; for a tree ``encode(_:)`` accepts, `decode(encode(value))`.
    public func normalized(_ value: APIValue) -> APIValue {
        switch value {
        case .null, .bool, .int, .double, .string:
            return .string(XMLWriter.scalarText(value) ?? "")
        case .array(let elements):
            return .array(elements.map(normalized))
        case .object(let object):
            guard !object.isEmpty else { return .string("") }
            var result = APIObject()
            let keyText = object["key"].flatMap(XMLWriter.scalarText)
            if let keyText { result["key"] = .string(keyText) }
            for member in object where !(keyText != nil && member.key == "key") {
                result[member.key] = normalized(member.value)
            }
            return .object(result)
        }
    }
}
