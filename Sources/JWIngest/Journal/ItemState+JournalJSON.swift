import Foundation
import JWPlatform

extension ItemState {
    /// The state as the journal stores it: the JSON that `JSONEncoder` makes of it (the same keys and
    /// values, read back by the same `Decodable`), written directly.
    ///
    /// A journal writes the state at every checkpoint, and `JSONEncoder` spent more CPU on it than any other
    /// part of a small item's way (its containers and generic dispatch, measured by `perf` in issue 14).
    /// Every stored property is written, its key named as the synthesized `Codable` names it; the rare
    /// nested values of v2 and of a pending update go through `JSONEncoder`. `ItemStateJournalJSONTests`
    /// checks that a state with every field set reads back equal, and that no property is left out.
    ///
    /// - Throws: `EncodingError` for a duration or date that is not a finite number.
    public func journalJSON() throws -> String {
        var json = JournalJSONWriter()
        json.beginObject()
        json.key("itemID")
        json.string(itemID)
        json.key("completedStages")
        json.strings(completedStages)
        if let fileSize {
            json.key("fileSize")
            json.integer(fileSize)
        }
        if let fileModified {
            json.key("fileModified")
            try json.date(fileModified)
        }
        if let duration {
            json.key("duration")
            try json.number(duration)
        }
        if let mediaKey {
            json.key("mediaKey")
            json.string(mediaKey)
        }
        if let uploadLink {
            json.key("uploadLink")
            json.link(uploadLink)
        }
        if let linkIssuedAt {
            json.key("linkIssuedAt")
            try json.date(linkIssuedAt)
        }
        if let sent {
            json.key("sent")
            json.digest(sent)
        }
        if let received {
            json.key("received")
            json.digest(received)
        }
        json.key("verified")
        json.bool(verified)
        json.key("uploads")
        json.integer(Int64(uploads))
        json.key("thumbnailDone")
        json.bool(thumbnailDone)
        json.key("trackKeys")
        json.stringMap(trackKeys)
        json.key("tracksUploaded")
        json.strings(tracksUploaded.sorted())
        if let remoteStatus {
            json.key("remoteStatus")
            json.string(remoteStatus)
        }
        json.key("values")
        json.stringMap(values)
        json.key("createPending")
        json.bool(createPending)
        json.key("trackLinks")
        json.beginObject()
        for (name, link) in trackLinks.sorted(by: { $0.key < $1.key }) {
            json.key(name)
            json.link(link)
        }
        json.endObject()
        json.key("tracksPending")
        json.strings(tracksPending.sorted())
        if let pendingUpdate {
            json.key("pendingUpdate")
            try json.encoded(pendingUpdate)
        }
        if let v2Upload {
            json.key("v2Upload")
            try json.encoded(v2Upload)
        }
        if let v2Thumbnail {
            json.key("v2Thumbnail")
            try json.encoded(v2Thumbnail)
        }
        if let v2TrackLinks {
            json.key("v2TrackLinks")
            json.stringMap(v2TrackLinks)
        }
        json.endObject()
        return json.text
    }
}

/// Writes JSON text value by value, as `JSONEncoder` would write the same values (dates as seconds since
/// 2001, its default), with the commas between members and elements put in by itself.
struct JournalJSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the container being written has no member yet (no comma before the next).
    private var atStart = true

    init() { bytes.reserveCapacity(512) }

    /// The JSON written so far.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        atStart = true
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        atStart = false
    }

    /// A member's key; its value follows without a comma.
    mutating func key(_ name: String) {
        separate()
        quoted(name)
        bytes.append(UInt8(ascii: ":"))
        atStart = true
    }

    mutating func string(_ value: String) {
        separate()
        quoted(value)
    }

    mutating func integer(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// - Throws: `EncodingError.invalidValue` for an infinite number or NaN, which JSON cannot hold (as
    ///   `JSONEncoder` throws).
    mutating func number(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: [], debugDescription: "\(value) is not a JSON number"))
        }
        separate()
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: "\(value)".utf8)
        }
    }

    mutating func date(_ value: Date) throws { try number(value.timeIntervalSinceReferenceDate) }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    mutating func strings(_ values: [String]) {
        separate()
        bytes.append(UInt8(ascii: "["))
        atStart = true
        for value in values { string(value) }
        bytes.append(UInt8(ascii: "]"))
        atStart = false
    }

    mutating func stringMap(_ values: [String: String]) {
        beginObject()
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            key(name)
            string(value)
        }
        endObject()
    }

    mutating func digest(_ value: FileDigest) {
        beginObject()
        key("md5")
        string(value.md5)
        key("size")
        integer(value.size)
        endObject()
    }

    mutating func link(_ value: UploadLink) {
        beginObject()
        key("scheme")
        string(value.scheme)
        key("address")
        string(value.address)
        key("path")
        string(value.path)
        key("query")
        separate()
        bytes.append(UInt8(ascii: "["))
        atStart = true
        for parameter in value.query {
            beginObject()
            key("name")
            string(parameter.name)
            key("value")
            string(parameter.value)
            endObject()
        }
        bytes.append(UInt8(ascii: "]"))
        atStart = false
        endObject()
    }

    /// A value `JSONEncoder` writes, for the rare nested values not written by hand.
    mutating func encoded<Value: Encodable>(_ value: Value) throws {
        separate()
        bytes.append(contentsOf: try JSONEncoder().encode(value))
    }

    /// The comma before a member or element that is not its container's first.
    private mutating func separate() {
        if atStart {
            atStart = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
    }

    /// `text` in quotes, with `"`, `\` and the control characters escaped.
    private mutating func quoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most texts (ids, keys, paths, titles) need no escape: their bytes go in at once.
        let copied = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else {
                return false
            }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
            case 0x0A: bytes.append(contentsOf: "\\n".utf8)
            case 0x0D: bytes.append(contentsOf: "\\r".utf8)
            case 0x09: bytes.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
