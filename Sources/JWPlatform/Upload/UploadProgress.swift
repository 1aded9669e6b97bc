/// What the progress URL says about an upload (API.md §5).
public enum UploadProgress: Sendable, Hashable {
    /// The server waits for the body.
    case starting
    /// The body is arriving: `received` of `size` bytes.
    case uploading(received: Int64, size: Int64)
    /// The upload finished.
    case done
    /// The upload failed with an HTTP status.
    case error(status: Int)

    /// Reads a JSON-P answer such as `fn({'state': 'uploading', 'received': 1024, 'size': 4096})`.
    ///
    /// Single- and double-quoted strings are both read; the callback name is not checked.
    ///
    /// - Throws: ``ProgressAnswerError`` when the text is not a call of one object with a known `state`.
    public init(jsonp bytes: [UInt8]) throws {
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")),
            let close = bytes.lastIndex(of: UInt8(ascii: ")")), open < close
        else {
            throw ProgressAnswerError(reason: "not a JSON-P call", body: bytes)
        }
        let json = Self.doubleQuoted(bytes[(open + 1)..<close])
        let tree: APIValue
        do {
            tree = try JSONAnswerFormat(limits: DecodingLimits(maxBytes: 64 << 10, maxDepth: 8)).decode(json)
        } catch {
            throw ProgressAnswerError(reason: "the argument is not an object (\(error))", body: bytes)
        }
        let reader = AnswerReader(call: "/progress", value: tree)
        do {
            switch try reader.string("state") {
            case "starting": self = .starting
            case "uploading":
                self = .uploading(received: try reader.integer("received"), size: try reader.integer("size"))
            case "done": self = .done
            case "error": self = .error(status: Int(try reader.integer("status")))
            case let other: throw ProgressAnswerError(reason: "unknown state \(other.debugDescription)", body: bytes)
            }
        } catch let error as AnswerShapeError {
            throw ProgressAnswerError(reason: error.description, body: bytes)
        }
    }

    /// Rewrites single-quoted strings as JSON strings, leaving everything else as it is.
    private static func doubleQuoted(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var quote: UInt8? = nil
        var escaped = false
        for byte in text {
            guard let open = quote else {
                if byte == UInt8(ascii: "'") {
                    quote = byte
                    output.append(UInt8(ascii: "\""))
                } else {
                    if byte == UInt8(ascii: "\"") { quote = byte }
                    output.append(byte)
                }
                continue
            }
            if escaped {
                escaped = false
                if open == UInt8(ascii: "'") && byte == UInt8(ascii: "'") {
                    output.removeLast()  // `\'` is a plain quote inside a JSON string
                }
                output.append(byte)
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                output.append(byte)
            } else if byte == open {
                quote = nil
                output.append(UInt8(ascii: "\""))
            } else if byte == UInt8(ascii: "\"") {
                output.append(contentsOf: [UInt8(ascii: "\\"), byte])
            } else {
                output.append(byte)
            }
        }
        return output
    }
}

/// A progress answer that could not be read.
public struct ProgressAnswerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var reason: String
    /// The first 200 bytes of the answer.
    public var bodyPrefix: String

    /// Creates an error.
    public init(reason: String, body: [UInt8]) {
        self.reason = reason
        self.bodyPrefix = String(decoding: body.prefix(200), as: UTF8.self)
    }

    /// The text shown in messages and logs.
    public var description: String { "progress answer unreadable: \(reason); got \(bodyPrefix.debugDescription)" }
}
