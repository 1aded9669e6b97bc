/// Writes an ``APIValue`` tree as an XML answer with a `<response>` root.
///
/// - An object is an element; a member named `key` whose value is a scalar is its attribute `key="…"`,
///   every other member a child element named after it, in order. An object with no child elements is
///   written as an empty element (`<video key="a"/>`, `<empty/>`).
/// - A scalar is an element holding its text (`true`/`false`, decimal numbers); null is `<name/>`.
/// - An array is an element with a `total` attribute holding one element per value, named
///   ``singular(of:)`` of the array's name; an array inside an array likewise.
///
/// `&`, `<`, `>` and `"` are written as entity references, and a carriage return (and in the attribute
/// also tab and line feed) as a character reference, so that XML's end-of-line and attribute-value
/// normalization give the text back unchanged.
struct XMLWriter {
    /// The bytes written so far.
    private(set) var output: [UInt8] = []
    /// Where the writer is in the tree (member names and indexes), for error messages.
    private var path: [String] = []

    init() {}

    /// Writes the declaration and `value` as the `<response>` element.
    ///
    /// - Throws: ``AnswerEncodingError`` when the root is not an object, a member name is not an XML
    ///   name, or a text holds a character XML 1.0 cannot carry or is longer than libxml2 reads.
    mutating func writeDocument(_ value: APIValue) throws {
        guard case .object(let object) = value else {
            throw AnswerEncodingError(format: .xml, path: "", message: "the root of an XML answer must be an object")
        }
        output.append(contentsOf: #"<?xml version="1.0" encoding="UTF-8"?>"#.utf8)
        output.append(0x0A)
        try writeObject(object, named: "response")
    }

    /// The name of the elements of an array named `name`: `name` without a final `s`, else `item`.
    static func singular(of name: String) -> String {
        guard name.count > 1, name.hasSuffix("s") else { return "item" }
        return String(name.dropLast())
    }

    private mutating func writeElement(_ value: APIValue, named name: String) throws {
        switch value {
        case .null:
            output.append(UInt8(ascii: "<"))
            output.append(contentsOf: name.utf8)
            output.append(contentsOf: "/>".utf8)
        case .bool, .int, .double, .string:
            output.append(UInt8(ascii: "<"))
            output.append(contentsOf: name.utf8)
            output.append(UInt8(ascii: ">"))
            try appendEscaped(value.text ?? "", inAttribute: false)
            output.append(contentsOf: "</".utf8)
            output.append(contentsOf: name.utf8)
            output.append(UInt8(ascii: ">"))
        case .object(let object):
            try writeObject(object, named: name)
        case .array(let elements):
            output.append(UInt8(ascii: "<"))
            output.append(contentsOf: name.utf8)
            output.append(contentsOf: #" total=""#.utf8)
            output.append(contentsOf: String(elements.count).utf8)
            output.append(UInt8(ascii: "\""))
            guard !elements.isEmpty else {
                output.append(contentsOf: "/>".utf8)
                return
            }
            output.append(UInt8(ascii: ">"))
            let elementName = Self.singular(of: name)
            for (index, element) in elements.enumerated() {
                path.append(String(index))
                try writeElement(element, named: elementName)
                path.removeLast()
            }
            output.append(contentsOf: "</".utf8)
            output.append(contentsOf: name.utf8)
            output.append(UInt8(ascii: ">"))
        }
    }

    private mutating func writeObject(_ object: APIObject, named name: String) throws {
        output.append(UInt8(ascii: "<"))
        output.append(contentsOf: name.utf8)
        let keyAttribute = object["key"].flatMap(Self.scalarText)
        if let keyAttribute {
            path.append("key")
            output.append(contentsOf: #" key=""#.utf8)
            try appendEscaped(keyAttribute, inAttribute: true)
            output.append(UInt8(ascii: "\""))
            path.removeLast()
        }
        var isOpen = false
        for member in object where !(keyAttribute != nil && member.key == "key") {
            if !isOpen {
                output.append(UInt8(ascii: ">"))
                isOpen = true
            }
            path.append(member.key)
            guard XMLCharacters.isElementName(member.key) else {
                throw failure("the member name '\(member.key)' is not an XML name (without ':')")
            }
            try writeElement(member.value, named: member.key)
            path.removeLast()
        }
        if isOpen {
            output.append(contentsOf: "</".utf8)
            output.append(contentsOf: name.utf8)
            output.append(UInt8(ascii: ">"))
        } else {
            output.append(contentsOf: "/>".utf8)
        }
    }

    /// The text of a scalar (`""` for null), or `nil` for an array or object.
    static func scalarText(_ value: APIValue) -> String? {
        if case .null = value { return "" }
        return value.text
    }

    /// Appends `text` escaped, after checking that XML can carry it.
    private mutating func appendEscaped(_ text: String, inAttribute: Bool) throws {
        var text = text
        let start = output.count
        try text.withUTF8 { bytes in
            guard bytes.count <= XMLCharacters.maxTextBytes else { throw tooLong(bytes.count) }
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
                case 0x0D: output.append(contentsOf: "&#13;".utf8)
                case 0x09 where inAttribute: output.append(contentsOf: "&#9;".utf8)
                case 0x0A where inAttribute: output.append(contentsOf: "&#10;".utf8)
                case 0x09, 0x0A: output.append(byte)
                case 0x00..<0x20:
                    throw failure(
                        "U+\(String(byte, radix: 16, uppercase: true).leftPadded(to: 4)), a control character XML 1.0 cannot carry"
                    )
                case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE:
                    throw failure("U+FFF\(bytes[index + 2] == 0xBE ? "E" : "F"), a noncharacter XML 1.0 cannot carry")
                default: output.append(byte)
                }
                index += 1
            }
        }
        if output.count - start > XMLCharacters.maxTextBytes { throw tooLong(output.count - start) }
    }

    private func tooLong(_ count: Int) -> AnswerEncodingError {
        failure("a text of \(count) bytes once escaped; libxml2 reads at most about 10,000,000 without XML_PARSE_HUGE")
    }

    private func failure(_ message: String) -> AnswerEncodingError {
        AnswerEncodingError(format: .xml, path: path.joined(separator: "."), message: message)
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
