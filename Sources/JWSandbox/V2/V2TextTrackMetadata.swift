import JWPlatform

/// The `metadata` of a v2 text track's create or `PATCH`, checked: `label` (any text), `srclang` (a
/// language tag such as `en` or `pt-BR`) and `track_kind` (one of ``V2TextTrackCalls/kinds``, required
/// by a create). A member given as `null` clears `label` or `srclang`.
struct V2TextTrackMetadata: Sendable, Hashable {
    /// A change to one field: absent, cleared, or set.
    enum Change: Sendable, Hashable {
        case keep
        case set(String?)
    }

    var label = Change.keep
    var srclang = Change.keep
    var trackKind = Change.keep

    /// The fields a `metadata` object may hold.
    static let fields = ["label", "srclang", "track_kind"]

    /// The metadata `value` (the `metadata` member) gives.
    ///
    /// - Parameter creating: Whether this is a create, which needs `track_kind`.
    /// - Throws: ``V2Error`` `400 invalid_body` naming the field that is missing, unknown or malformed.
    init(_ value: APIValue?, creating: Bool) throws(V2Error) {
        let metadata: APIObject
        switch value {
        case nil, .null?: metadata = APIObject()
        case .object(let object)?: metadata = object
        default: throw .invalidBody("metadata", "must be an object")
        }
        for member in metadata {
            let field = "metadata.\(member.key)"
            switch (member.key, member.value) {
            case ("label", .null):
                label = .set(nil)
            case ("srclang", .null):
                srclang = .set(nil)
            case ("label", .string(let text)):
                guard text.count <= 255 else { throw .invalidBody(field, "is over 255 characters") }
                label = .set(text)
            case ("srclang", .string(let text)):
                guard Self.isLanguageTag(text) else {
                    throw .invalidBody(field, "must be a language tag such as en or pt-BR")
                }
                srclang = .set(text)
            case ("track_kind", .string(let text)) where V2TextTrackCalls.kinds.contains(text):
                trackKind = .set(text)
            case ("track_kind", _):
                throw .invalidBody(field, "must be \(V2TextTrackCalls.kinds.joined(separator: ", "))")
            case ("label", _), ("srclang", _):
                throw .invalidBody(field, "must be a string")
            default:
                throw .invalidBody(field, "unknown field (known: \(Self.fields.joined(separator: ", ")))")
            }
        }
        if creating, trackKind == .keep {
            throw .invalidBody(
                "metadata.track_kind", "is required (\(V2TextTrackCalls.kinds.joined(separator: ", ")))")
        }
    }

    /// Writes the fields that change into `asset`.
    func apply(to asset: inout SandboxAsset) {
        if case .set(let text) = label { asset.label = text }
        if case .set(let text) = srclang { asset.language = text }
        if case .set(let text) = trackKind { asset.trackKind = text }
    }

    /// Letters and digits in pieces of 1 to 8, joined by `-` (BCP 47's shape), the first piece letters.
    static func isLanguageTag(_ text: String) -> Bool {
        func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
        func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
        let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
        return pieces.allSatisfy { piece in
            (1...8).contains(piece.utf8.count) && piece.utf8.allSatisfy { isDigit($0) || isLetter($0) }
        } && pieces[0].utf8.allSatisfy(isLetter)
    }
}
