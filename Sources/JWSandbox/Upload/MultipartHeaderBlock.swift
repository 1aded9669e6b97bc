extension MultipartPartHeaders {
    /// Parses a part's header block: header lines separated by CRLF, without the blank line that ends it.
    ///
    /// Lines that start with a space or a tab continue the previous header (obsolete folding, joined by a
    /// space). Header names are tokens with no space before the colon. Values are decoded as UTF-8.
    ///
    /// - Parameters:
    ///   - block: The header lines.
    ///   - offset: The block's byte offset in the multipart body, for errors.
    ///   - part: The part's number, from 1, for errors.
    /// - Throws: ``MultipartError`` with ``MultipartError/Code/malformedHeaders`` for a bare CR or LF, a line
    ///   without a colon, a header name that is not a token, a missing or non-`form-data`
    ///   `Content-Disposition`, or one without a `name`.
    init(parsingBlock block: ArraySlice<UInt8>, offset: Int, part: Int) throws {
        func fail(_ message: String) -> MultipartError {
            MultipartError(code: .malformedHeaders, offset: offset, message: "part \(part): \(message)")
        }

        var fields: [MultipartHeaderField] = []
        for line in try Self.lines(of: block, fail) {
            if let first = line.first, MultipartByte.isWhitespace(first) {
                guard let last = fields.indices.last else {
                    throw fail("the header block starts with a folded line")
                }
                let more = MultipartByte.trimmedText(line)
                if !more.isEmpty {
                    fields[last].value += fields[last].value.isEmpty ? more : " " + more
                }
                continue
            }
            guard let colon = line.firstIndex(of: MultipartByte.colon) else {
                throw fail("the header line '\(String(decoding: line, as: UTF8.self))' has no colon")
            }
            let name = line[line.startIndex..<colon]
            guard !name.isEmpty, name.allSatisfy(Self.isTokenCharacter) else {
                throw fail("'\(String(decoding: name, as: UTF8.self))' is not a header name")
            }
            fields.append(
                MultipartHeaderField(
                    name: String(decoding: name, as: UTF8.self),
                    value: MultipartByte.trimmedText(line[(colon + 1)...])
                )
            )
        }

        let dispositions = fields.filter { $0.name.lowercased() == "content-disposition" }
        guard let disposition = dispositions.first else { throw fail("there is no Content-Disposition header") }
        guard dispositions.count == 1 else { throw fail("Content-Disposition is given \(dispositions.count) times") }
        let value: MultipartHeaderValue
        do {
            value = try MultipartHeaderValue(
                parsing: disposition.value,
                header: "Content-Disposition",
                code: .malformedHeaders
            )
        } catch let error as MultipartError {
            throw fail(error.message)
        }
        guard value.type == "form-data" else {
            throw fail("Content-Disposition is '\(value.type)', expected form-data")
        }
        guard let name = value[parameter: "name"] else {
            throw fail("Content-Disposition '\(disposition.value)' has no name")
        }
        let contentType = fields.first { $0.name.lowercased() == "content-type" }?.value
        self.init(name: name, filename: value[parameter: "filename"], contentType: contentType, fields: fields)
    }

    /// The block's lines, split at CRLF.
    private static func lines(
        of block: ArraySlice<UInt8>,
        _ fail: (String) -> MultipartError
    ) throws -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        if block.isEmpty { return lines }
        var start = block.startIndex
        var index = block.startIndex
        while index < block.endIndex {
            switch block[index] {
            case MultipartByte.carriageReturn:
                guard index + 1 < block.endIndex, block[index + 1] == MultipartByte.lineFeed else {
                    throw fail("a header line holds a carriage return that is not followed by a line feed")
                }
                lines.append(block[start..<index])
                index += 2
                start = index
            case MultipartByte.lineFeed:
                throw fail("a header line holds a line feed that is not preceded by a carriage return")
            default:
                index += 1
            }
        }
        lines.append(block[start..<block.endIndex])
        return lines
    }

    /// RFC 9110 `tchar`.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "a")...UInt8(ascii: "z"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
