/// What XML 1.0 (fifth edition) allows in names and in character data, for the XML writer.
enum XMLCharacters {
    /// The longest name libxml2 reads without `XML_PARSE_HUGE`.
    static let maxNameBytes = 50_000
    /// The longest text, once escaped, that the writer writes.
    ///
    /// Without `XML_PARSE_HUGE`, libxml2 refuses a text or an attribute value of about 10,000,000 bytes
    /// ("huge text node", "Huge input lookup"); counting the escaped bytes against a lower limit keeps a
    /// margin.
    static let maxTextBytes = 9_000_000

    /// Whether `name` is an XML name without a colon (an NCName), so that namespace processing reads it
    /// back as written, and short enough for libxml2.
    static func isElementName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= maxNameBytes else { return false }
        var scalars = name.unicodeScalars.makeIterator()
        guard let first = scalars.next(), isNameStart(first) else { return false }
        while let scalar = scalars.next() {
            guard isNameStart(scalar) || isNameRest(scalar) else { return false }
        }
        return true
    }

    /// `NameStartChar` without `:`.
    private static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0x5F: return true
        case 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF, 0x200C...0x200D,
            0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD,
            0x10000...0xEFFFF:
            return true
        default: return false
        }
    }

    /// The characters `NameChar` adds to `NameStartChar`.
    private static func isNameRest(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2D, 0x2E, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040: return true
        default: return false
        }
    }
}
