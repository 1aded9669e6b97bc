import Foundation
import JWPlatform

/// The `metadata` object of a v2 create or `PATCH`, checked: which fields it sets, which it clears
/// (`null`), and which it leaves. Every type is checked before anything changes, and an error names the
/// field (`metadata.tags[2]: must be a string`).
struct V2MetadataChange: Sendable, Hashable {
    /// What the change does to one field.
    enum Edit<Value: Sendable & Hashable>: Sendable, Hashable {
        case keep
        case clear
        case set(Value)
    }

    var title = Edit<String>.keep
    var description = Edit<String>.keep
    var author = Edit<String>.keep
    var permalink = Edit<String>.keep
    var category = Edit<String>.keep
    var externalID = Edit<String>.keep
    var tags = Edit<[String]>.keep
    var customParams = Edit<[String: String]>.keep
    var publishStart = Edit<Int64>.keep
    var publishEnd = Edit<Int64>.keep

    /// The fields a `metadata` object may hold (docs.jwplayer.com "Upload content"; `permalink` from the
    /// official Go client). `duration` is accepted and ignored: the sandbox reads it from the file.
    static let fields: Set<String> = [
        "title", "description", "author", "permalink", "category", "external_id", "tags", "custom_params",
        "publish_start_date", "publish_end_date", "duration",
    ]

    /// No change.
    init() {}

    /// The change `value` (the `metadata` member) asks for; `nil` asks for none.
    ///
    /// - Throws: ``V2Error`` `400 invalid_body` naming the first field that is unknown or of the wrong type.
    init(_ value: APIValue?) throws(V2Error) {
        guard let value, value != .null else { return }
        guard let object = value.objectValue else { throw .invalidBody("metadata", "must be an object") }
        for member in object {
            let field = "metadata.\(member.key)"
            switch member.key {
            case "title": title = try Self.text(member.value, field)
            case "description": description = try Self.text(member.value, field)
            case "author": author = try Self.text(member.value, field)
            case "permalink": permalink = try Self.text(member.value, field)
            case "category": category = try Self.text(member.value, field)
            case "external_id": externalID = try Self.text(member.value, field)
            case "tags": tags = try Self.tags(member.value, field)
            case "custom_params": customParams = try Self.customParams(member.value, field)
            case "publish_start_date": publishStart = try Self.date(member.value, field)
            case "publish_end_date": publishEnd = try Self.date(member.value, field)
            case "duration":
                guard member.value == .null || member.value.isNumber else {
                    throw .invalidBody(field, "must be a number of seconds")
                }
            default:
                throw .invalidBody(
                    field, "unknown field (known: \(Self.fields.sorted().joined(separator: ", ")))")
            }
        }
    }

    /// Applies the change to `asset`.
    func apply(to asset: inout SandboxAsset) {
        Self.apply(title, to: &asset.title)
        Self.apply(description, to: &asset.description)
        Self.apply(author, to: &asset.author)
        Self.apply(permalink, to: &asset.link)
        Self.apply(category, to: &asset.category)
        Self.apply(externalID, to: &asset.externalID)
        Self.apply(publishStart, to: &asset.date)
        Self.apply(publishEnd, to: &asset.publishEndDate)
        switch tags {
        case .keep: break
        case .clear: asset.tags = []
        case .set(let value): asset.tags = value
        }
        switch customParams {
        case .keep: break
        case .clear: asset.custom = [:]
        case .set(let value): asset.custom = value
        }
    }

    private static func apply<Value>(_ edit: Edit<Value>, to field: inout Value?) {
        switch edit {
        case .keep: break
        case .clear: field = nil
        case .set(let value): field = value
        }
    }

    private static func text(_ value: APIValue, _ field: String) throws(V2Error) -> Edit<String> {
        switch value {
        case .null: return .clear
        case .string(let text): return .set(text)
        default: throw .invalidBody(field, "must be a string")
        }
    }

    private static func tags(_ value: APIValue, _ field: String) throws(V2Error) -> Edit<[String]> {
        if value == .null { return .clear }
        guard let elements = value.arrayValue else { throw .invalidBody(field, "must be an array of strings") }
        var tags: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let tag) = element else { throw .invalidBody("\(field)[\(index)]", "must be a string") }
            tags.append(tag)
        }
        return .set(tags)
    }

    private static func customParams(_ value: APIValue, _ field: String) throws(V2Error) -> Edit<[String: String]> {
        if value == .null { return .clear }
        guard let object = value.objectValue else {
            throw .invalidBody(field, "must be an object of strings")
        }
        var params: [String: String] = [:]
        for member in object {
            guard !member.key.isEmpty else { throw .invalidBody(field, "a name is empty") }
            guard case .string(let text) = member.value else {
                throw .invalidBody("\(field).\(member.key)", "must be a string")
            }
            params[member.key] = text
        }
        return .set(params)
    }

    private static func date(_ value: APIValue, _ field: String) throws(V2Error) -> Edit<Int64> {
        switch value {
        case .null: return .clear
        case .string(let text):
            guard let date = V2Timestamps.parseISO8601(text) else {
                throw .invalidBody(field, "must be an ISO 8601 date, such as 2020-02-20T08:58:26+00:00")
            }
            return .set(Int64(date.timeIntervalSince1970.rounded(.down)))
        default:
            throw .invalidBody(field, "must be an ISO 8601 date, such as 2020-02-20T08:58:26+00:00")
        }
    }
}

extension APIValue {
    /// Whether the value is a JSON number.
    var isNumber: Bool {
        switch self {
        case .int, .double: true
        default: false
        }
    }
}
