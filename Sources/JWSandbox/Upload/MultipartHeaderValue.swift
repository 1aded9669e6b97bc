/// A header value of the form `type; name=value; name="quoted value"`, split into its parts.
///
/// Reads `Content-Type` (`multipart/form-data; boundary=…`) and `Content-Disposition`
/// (`form-data; name="file"; filename="a.mp4"`). The leading type is lower-cased; parameter names are
/// lower-cased, values are kept as sent.
///
/// A quoted value ends at the next unescaped `"`. **(decision)** A backslash escapes only `"` and `\`;
/// before any other character it stays, so an old browser's `filename="C:\Users\me\a.mp4"` keeps its
/// path. Browsers and urllib3 write a `"` inside a name as `%22` and no percent-decoding is done here.
/// An unquoted value runs to the next `;` and is trimmed; `filename*=UTF-8''…` is kept as such, undecoded.
struct MultipartHeaderValue: Sendable {
    /// The value before the first `;`, trimmed and lower-cased.
    var type: String
    /// The parameters in the order sent, with lower-cased names.
    var parameters: [(name: String, value: String)]

    /// The value of the first parameter with this name (lower case), if any.
    subscript(parameter name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    /// Splits a header value.
    ///
    /// - Parameters:
    ///   - value: The header value, without the header name.
    ///   - header: The header's name, for messages.
    ///   - code: The error code to throw with.
    /// - Throws: ``MultipartError`` with `code` if a quoted value is not closed, text follows a closing
    ///   quote, a parameter has no `=` or no name, or a parameter is given twice.
    init(parsing value: String, header: String, code: MultipartError.Code) throws {
        let bytes = Array(value.utf8)
        var index = 0

        func fail(_ message: String) -> MultipartError {
            MultipartError(code: code, message: "\(header) '\(value)': \(message)")
        }
        func skipWhitespace() {
            while index < bytes.count, MultipartByte.isWhitespace(bytes[index]) { index += 1 }
        }
        func text(_ range: Range<Int>) -> String { MultipartByte.trimmedText(bytes[range]) }

        let typeEnd = bytes.firstIndex(of: MultipartByte.semicolon) ?? bytes.count
        self.type = text(0..<typeEnd).lowercased()
        self.parameters = []
        index = typeEnd

        while index < bytes.count {
            // At a `;`.
            index += 1
            skipWhitespace()
            if index == bytes.count || bytes[index] == MultipartByte.semicolon { continue }
            let nameStart = index
            while index < bytes.count, bytes[index] != MultipartByte.equals, bytes[index] != MultipartByte.semicolon {
                index += 1
            }
            guard index < bytes.count, bytes[index] == MultipartByte.equals else {
                throw fail("parameter '\(text(nameStart..<index))' has no value")
            }
            let name = text(nameStart..<index).lowercased()
            guard !name.isEmpty else { throw fail("a parameter has no name") }
            index += 1
            skipWhitespace()

            let parameterValue: String
            if index < bytes.count, bytes[index] == MultipartByte.quote {
                index += 1
                var unescaped: [UInt8] = []
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == MultipartByte.quote {
                        closed = true
                        index += 1
                        break
                    }
                    if byte == MultipartByte.backslash, index + 1 < bytes.count,
                        bytes[index + 1] == MultipartByte.quote || bytes[index + 1] == MultipartByte.backslash
                    {
                        unescaped.append(bytes[index + 1])
                        index += 2
                    } else {
                        unescaped.append(byte)
                        index += 1
                    }
                }
                guard closed else { throw fail("the quoted value of '\(name)' is not closed") }
                skipWhitespace()
                guard index == bytes.count || bytes[index] == MultipartByte.semicolon else {
                    throw fail("text after the quoted value of '\(name)'")
                }
                parameterValue = String(decoding: unescaped, as: UTF8.self)
            } else {
                let valueStart = index
                while index < bytes.count, bytes[index] != MultipartByte.semicolon { index += 1 }
                parameterValue = text(valueStart..<index)
            }
            guard self[parameter: name] == nil else { throw fail("parameter '\(name)' is given twice") }
            parameters.append((name, parameterValue))
        }
    }
}
