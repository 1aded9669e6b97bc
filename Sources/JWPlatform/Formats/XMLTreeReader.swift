import CLibXML2

/// Maps a parsed XML document to an ``APIValue`` tree, as ``XMLAnswerFormat`` documents.
///
/// The root must be `<response>`. Each element maps by these rules, in this order:
///
/// 1. An element with a `total` attribute is a list: its child elements, whatever their names, are the
///    elements of an ``APIValue/array(_:)``, in order. Its other attributes and its text are dropped.
/// 2. An element with no attributes and no child elements is the ``APIValue/string(_:)`` of its text,
///    whitespace included (`""` when empty).
/// 3. Any other element is an ``APIValue/object(_:)``: its attributes in order, then its child elements;
///    a name seen more than once (repeated child elements, or an attribute and an element) becomes one
///    member holding an array of the values in order. Text that is not only whitespace is kept in a last
///    member named `#text`; whitespace between child elements is dropped.
///
/// Names are read as written (`prefix:name` for a prefixed one); namespace declarations are not members.
/// Comments and processing instructions are skipped.
struct XMLTreeReader {
    private let limits: DecodingLimits

    init(limits: DecodingLimits) {
        self.limits = limits
    }

    /// Reads the tree of `document`.
    func read(_ document: xmlDocPtr) throws -> APIValue {
        guard let root = xmlDocGetRootElement(document) else {
            throw AnswerDecodingError(format: .xml, code: .truncated, message: "the document has no root element")
        }
        let name = Self.name(root.pointee.name, root.pointee.ns)
        guard name == "response" else {
            throw AnswerDecodingError(
                format: .xml, code: .syntax, message: "the root element must be <response>, found <\(name)>")
        }
        return try value(of: root, depth: 1)
    }

    /// The value of `element`, which sits at `depth` (the root at 1).
    ///
    /// Recursion is bounded: the parser admits no element deeper than ``DecodingLimits/maxDepth`` + 1
    /// (and libxml2 none deeper than 256), and a container deeper than the limit is refused here.
    private func value(of element: xmlNodePtr, depth: Int) throws -> APIValue {
        var isList = false
        var attribute = element.pointee.properties
        while let current = attribute, !isList {
            isList = current.pointee.ns == nil && Self.isTotal(current.pointee.name)
            attribute = current.pointee.next
        }
        var hasChildElement = false
        var child = element.pointee.children
        while let current = child, !hasChildElement {
            hasChildElement = current.pointee.type == XML_ELEMENT_NODE
            child = current.pointee.next
        }

        if !isList && !hasChildElement && element.pointee.properties == nil {
            return .string(Self.text(of: element.pointee.children))
        }
        guard depth <= limits.maxDepth else {
            throw AnswerDecodingError(
                format: .xml, code: .tooDeep,
                message: "arrays and objects nest deeper than the limit of \(limits.maxDepth)")
        }

        if isList {
            var elements: [APIValue] = []
            child = element.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE {
                    elements.append(try value(of: current, depth: depth + 1))
                }
                child = current.pointee.next
            }
            return .array(elements)
        }

        var members = MemberGroups()
        attribute = element.pointee.properties
        while let current = attribute {
            let name = Self.name(current.pointee.name, current.pointee.ns)
            members.add(.string(Self.text(of: current.pointee.children)), named: name)
            attribute = current.pointee.next
        }
        child = element.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                let name = Self.name(current.pointee.name, current.pointee.ns)
                members.add(try value(of: current, depth: depth + 1), named: name)
            }
            child = current.pointee.next
        }
        let text = Self.text(of: element.pointee.children)
        if !text.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            members.add(.string(text), named: "#text")
        }
        return .object(members.object())
    }

    /// Whether a C string is `total`.
    private static func isTotal(_ name: UnsafePointer<xmlChar>?) -> Bool {
        guard let name else { return false }
        let expected: StaticString = "total"
        for index in 0..<expected.utf8CodeUnitCount where name[index] != expected.utf8Start[index] { return false }
        return name[expected.utf8CodeUnitCount] == 0
    }

    /// The concatenated text and CDATA of a list of sibling nodes.
    private static func text(of firstNode: xmlNodePtr?) -> String {
        var text = ""
        var node = firstNode
        while let current = node {
            if current.pointee.type == XML_TEXT_NODE || current.pointee.type == XML_CDATA_SECTION_NODE,
                let content = current.pointee.content
            {
                if text.isEmpty {
                    text = String(cString: content)
                } else {
                    text += String(cString: content)
                }
            }
            node = current.pointee.next
        }
        return text
    }

    /// An element or attribute name as written: `prefix:name` when it has a namespace prefix.
    private static func name(_ localName: UnsafePointer<xmlChar>?, _ namespace: xmlNsPtr?) -> String {
        let local = localName.map { String(cString: $0) } ?? ""
        guard let prefix = namespace?.pointee.prefix else { return local }
        return String(cString: prefix) + ":" + local
    }
}

/// Members of an object being read, where a repeated name collects its values in order.
///
/// Most elements have a handful of members, found by a linear search; an index is built past 16.
private struct MemberGroups {
    private var groups: [(name: String, values: [APIValue])] = []
    private var positions: [String: Int]?

    mutating func add(_ value: APIValue, named name: String) {
        if let position = position(of: name) {
            groups[position].values.append(value)
            return
        }
        positions?[name] = groups.count
        groups.append((name, [value]))
        if positions == nil && groups.count > 16 {
            positions = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($0.element.name, $0.offset) })
        }
    }

    private func position(of name: String) -> Int? {
        if let positions { return positions[name] }
        return groups.firstIndex { $0.name == name }
    }

    /// The object: a name seen once holds its value, a name seen more often an array of its values.
    func object() -> APIObject {
        APIObject(
            groups.lazy.map { group in (group.name, group.values.count == 1 ? group.values[0] : .array(group.values)) })
    }
}
