/// Reads typed fields out of an ``APIValue`` tree, accepting numbers written as strings, and says exactly
/// which field was missing or of the wrong kind.
///
/// Every typed answer (``CreateAnswer``, ``UploadAnswer``, …) is read through it, so the shapes seen in
/// the wild (XML text for every scalar, sizes as strings, a one-element list as its element) are accepted
/// in one place.
public struct AnswerReader: Sendable {
    /// The call whose answer this is, for error messages.
    public var call: String
    /// The node read.
    public var value: APIValue
    /// The path of this node from the root, e.g. `video.custom`.
    public var path: String

    /// Creates a reader of a whole answer.
    public init(call: String, value: APIValue, path: String = "") {
        self.call = call
        self.value = value
        self.path = path
    }

    private func childPath(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The reader of member `key`, or `nil` when absent or null.
    public func optional(_ key: String) -> AnswerReader? {
        guard let child = value[key], child != .null else { return nil }
        return AnswerReader(call: call, value: child, path: childPath(key))
    }

    /// The reader of member `key`.
    ///
    /// - Throws: ``AnswerShapeError`` when it is absent.
    public func required(_ key: String) throws -> AnswerReader {
        guard let child = optional(key) else {
            throw AnswerShapeError(call: call, path: childPath(key), expected: "a value", seen: "nothing")
        }
        return child
    }

    /// The text of member `key` (a string, or a number written as text).
    public func string(_ key: String) throws -> String {
        let child = try required(key)
        guard let text = child.value.text else { throw child.mismatch("text") }
        return text
    }

    /// The text of member `key`, or `nil` when absent.
    public func optionalString(_ key: String) throws -> String? {
        guard let child = optional(key) else { return nil }
        guard let text = child.value.text else { throw child.mismatch("text") }
        return text
    }

    /// The integer in member `key`, written as a number or as decimal text.
    public func integer(_ key: String) throws -> Int64 {
        let child = try required(key)
        guard let number = child.value.integer else { throw child.mismatch("an integer") }
        return number
    }

    /// The integer in member `key`, or `nil` when absent or empty text.
    public func optionalInteger(_ key: String) throws -> Int64? {
        guard let child = optional(key), child.value != .string("") else { return nil }
        guard let number = child.value.integer else { throw child.mismatch("an integer") }
        return number
    }

    /// The number in member `key`, or `nil` when absent or empty text.
    public func optionalDouble(_ key: String) throws -> Double? {
        guard let child = optional(key), child.value != .string("") else { return nil }
        switch child.value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        case .string(let text): if let number = Double(text.trimmingSpaces()) { return number }
        default: break
        }
        throw child.mismatch("a number")
    }

    /// The elements of member `key` as readers; a single object counts as a list of one (XML), and an
    /// absent member, an empty string or an empty object as an empty list.
    public func list(_ key: String) throws -> [AnswerReader] {
        guard let child = optional(key) else { return [] }
        switch child.value {
        case .array(let elements):
            return elements.enumerated().map {
                AnswerReader(call: call, value: $0.element, path: child.path + ".\($0.offset)")
            }
        case .object(let object) where object.isEmpty: return []
        case .object(let object):
            // XML without a `total` attribute: `<videos><video …/></videos>` reads as {video: {…}} for one
            // element and {video: [{…}, {…}]} for more; unwrap the element name.
            if object.count == 1, let only = object.members.first, only.key + "s" == key {
                let wrapped = AnswerReader(call: call, value: only.value, path: child.path + "." + only.key)
                if case .array(let elements) = only.value {
                    return elements.enumerated().map {
                        AnswerReader(call: call, value: $0.element, path: wrapped.path + ".\($0.offset)")
                    }
                }
                return [wrapped]
            }
            return [child]
        case .string(""): return []
        default: throw child.mismatch("a list")
        }
    }

    /// The members of member `key` as text, for maps such as `custom` (an empty string counts as empty).
    public func textMap(_ key: String) throws -> [String: String] {
        guard let child = optional(key) else { return [:] }
        switch child.value {
        case .object(let object):
            var map: [String: String] = [:]
            for member in object { map[member.key] = member.value.text ?? "" }
            return map
        case .array(let elements) where elements.isEmpty: return [:]
        case .string(""): return [:]
        default: throw child.mismatch("an object")
        }
    }

    func mismatch(_ expected: String) -> AnswerShapeError {
        AnswerShapeError(call: call, path: path, expected: expected, seen: Self.kind(of: value))
    }

    static func kind(of value: APIValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string(let text):
            return text.count > 40 ? "a text of \(text.count) characters" : "the text \(text.debugDescription)"
        case .array(let elements): return "a list of \(elements.count)"
        case .object: return "an object"
        }
    }
}
