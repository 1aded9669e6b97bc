/// Reads Flash Video files (`FLV`, version 1).
///
/// The duration is the `duration` of the `onMetaData` script tag among the first tags. Without one (live
/// recordings, some muxers), it is the timestamp of the last tag, found from the end: the file's last 4
/// bytes give that tag's size. Like ffprobe, the timestamp is taken as it is, without adding a frame, and
/// tags stamped 0 at the end are stepped over.
public struct FLVProbe: ContainerProbe {
    /// Creates the reader.
    public init() {}

    /// The most tags looked at for the metadata, at the start.
    static let leadingTagLimit = 8
    /// The most tags stepped back over from the end while their timestamp is 0.
    static let trailingTagLimit = 64
    /// The most bytes of a script tag read.
    static let scriptLimit = 1 << 20

    /// Whether `head` starts with `FLV`, version 1, and a header size of at least 9 bytes.
    public func recognizes(head: [UInt8]) -> Bool {
        guard head.hasASCII("FLV", at: 0), head.u8(3) == 1, let dataOffset = head.u32be(5) else { return false }
        return dataOffset >= 9 && dataOffset <= 1024
    }

    /// Reads the kind from the header flags (and first tags) and the duration from the metadata or the last tag.
    public func probe(_ reader: RandomAccessReader, head: [UInt8]) throws -> ContainerFindings {
        let header = try reader.readExactly(at: 0, count: 9, what: "FLV header")
        guard let flags = header.u8(4), let dataOffset = header.u32be(5), dataOffset >= 9 else {
            throw ProbeFailure.malformed("FLV: the header at byte 0 gives a data offset below 9")
        }
        let firstTag = Int64(dataOffset) + 4  // after PreviousTagSize0
        let leading = try readLeadingTags(reader, from: firstTag)
        var kind: MediaKind = .audio
        if flags & 0x01 != 0 || (flags & 0x04 == 0 && leading.types.contains(FLVTagHeader.video)) { kind = .video }
        if let duration = leading.metadataDuration, duration.isFinite, duration > 0 {
            return ContainerFindings(container: .flv, kind: kind, duration: duration, durationSource: "flv-metadata")
        }
        guard let milliseconds = try lastTimestamp(reader, firstTag: firstTag) else {
            return ContainerFindings(
                container: .flv, kind: kind, reason: "FLV has no metadata duration, and its last tags are all stamped 0"
            )
        }
        return ContainerFindings(
            container: .flv, kind: kind, duration: Double(milliseconds) / 1000, durationSource: "last-tag")
    }

    /// The types of the first tags, and the duration of an `onMetaData` tag among them.
    private func readLeadingTags(
        _ reader: RandomAccessReader, from start: Int64
    ) throws -> (types: [UInt8], metadataDuration: Double?) {
        var cursor = start
        var types: [UInt8] = []
        for _ in 0..<Self.leadingTagLimit {
            guard cursor + Int64(FLVTagHeader.size) <= reader.size else { break }
            let bytes = try reader.readExactly(at: cursor, count: FLVTagHeader.size, what: "FLV tag header")
            guard let tag = FLVTagHeader(bytes, at: 0) else {
                throw ProbeFailure.malformed("FLV: unknown tag type \(bytes[0]) at byte \(cursor)")
            }
            types.append(tag.type)
            let dataStart = cursor + Int64(FLVTagHeader.size)
            if tag.type == FLVTagHeader.script {
                guard dataStart + Int64(tag.dataSize) <= reader.size else {
                    throw ProbeFailure.truncated(
                        "FLV: the script tag at byte \(cursor) declares \(tag.dataSize) bytes; the file ends first")
                }
                let data = try reader.readExactly(
                    at: dataStart, count: min(tag.dataSize, Self.scriptLimit), what: "FLV script tag")
                if let duration = FLVScriptData.duration(inMetadata: data) { return (types, duration) }
            }
            cursor = dataStart + Int64(tag.dataSize) + 4
        }
        return (types, nil)
    }

    /// The timestamp of the last tag not stamped 0, walking back from the end by the PreviousTagSize fields;
    /// `nil` when every tag stepped over (all, or the last 64) is stamped 0.
    private func lastTimestamp(_ reader: RandomAccessReader, firstTag: Int64) throws -> UInt32? {
        var end = reader.size  // one past the PreviousTagSize field that ends the tag being looked for
        guard end >= firstTag + Int64(FLVTagHeader.size) + 4 else {
            throw ProbeFailure.truncated("FLV: no whole tag after the header; the file ends at byte \(end)")
        }
        for _ in 0..<Self.trailingTagLimit {
            guard end - 4 >= firstTag else { return nil }
            let sizeField = try reader.readExactly(at: end - 4, count: 4, what: "FLV PreviousTagSize")
            guard let previous = sizeField.u32be(0) else { return nil }
            let tagStart = end - 4 - Int64(previous)
            guard previous >= UInt32(FLVTagHeader.size), tagStart >= firstTag else {
                throw ProbeFailure.truncated(
                    "FLV: the PreviousTagSize at byte \(end - 4) (\(previous)) points outside the tags; the file seems cut"
                )
            }
            let bytes = try reader.readExactly(at: tagStart, count: FLVTagHeader.size, what: "FLV tag header")
            guard let tag = FLVTagHeader(bytes, at: 0), tag.dataSize + FLVTagHeader.size == Int(previous) else {
                throw ProbeFailure.truncated(
                    "FLV: no tag of \(previous) bytes ends at the PreviousTagSize at byte \(end - 4); the file seems cut"
                )
            }
            if tag.timestamp != 0 { return tag.timestamp }
            end = tagStart
        }
        return nil
    }
}
