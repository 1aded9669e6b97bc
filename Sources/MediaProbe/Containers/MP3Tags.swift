/// The ID3 tags that surround MPEG audio: ID3v2 at the start (possibly several in a row), ID3v1 at the end.
enum MP3Tags {
    /// The length of an ID3v2 tag whose 10-byte header is at `offset` of `bytes`, header and footer
    /// included; `nil` when there is no valid ID3v2 header there (version 2.2 to 2.4, no undefined flags).
    ///
    /// The size is synchsafe (four 7-bit bytes); version 2.4 tags with the footer flag carry 10 more bytes.
    static func id3v2Length(_ bytes: [UInt8], at offset: Int) -> Int? {
        guard bytes.hasASCII("ID3", at: offset), let major = bytes.u8(offset + 3), let revision = bytes.u8(offset + 4),
            let flags = bytes.u8(offset + 5), (2...4).contains(major), revision != 0xFF, flags & 0x0F == 0
        else { return nil }
        var size = 0
        for index in 6..<10 {
            guard let byte = bytes.u8(offset + index), byte < 0x80 else { return nil }
            size = size << 7 | Int(byte)
        }
        let footer = major >= 4 && flags & 0x10 != 0 ? 10 : 0
        return 10 + size + footer
    }

    /// Where the audio starts: the offset after the ID3v2 tags at the start of the file (0 when there are
    /// none). Follows at most a few tags in a row.
    static func endOfLeadingTags(_ reader: RandomAccessReader) throws -> Int64 {
        var offset: Int64 = 0
        for _ in 0..<maximumLeadingTags {
            let header = try reader.read(at: offset, count: 10)
            guard let length = id3v2Length(header, at: 0) else { break }
            let end = offset + Int64(length)
            guard end <= reader.size else {
                throw ProbeFailure.truncated(
                    "the ID3v2 tag at byte \(offset) declares \(length) bytes; the file has \(reader.size)")
            }
            offset = end
        }
        return offset
    }

    /// The length of the ID3v1 tag (`TAG`, 128 bytes) at the end of the file, or 0 when there is none.
    static func id3v1Length(_ reader: RandomAccessReader, audioStart: Int64) throws -> Int64 {
        guard reader.size - 128 >= audioStart else { return 0 }
        let tag = try reader.read(at: reader.size - 128, count: 3)
        return tag.hasASCII("TAG", at: 0) ? 128 : 0
    }

    /// The most ID3v2 tags followed before the audio.
    static let maximumLeadingTags = 8
}
