/// One RIFF chunk inside a buffer: a four-character id, and for a `LIST` its list type, with where its data
/// lies. Sizes are checked against the enclosing list, so no chunk can point outside the buffer.
struct AVIChunk {
    /// The chunk id, e.g. `strh`, `LIST`.
    var id: String
    /// The list type (`hdrl`, `strl`, `odml`, …) when ``id`` is `LIST`.
    var listType: String?
    /// The first data byte in the buffer (after the list type, for a list).
    var dataStart: Int
    /// One past the last data byte in the buffer.
    var dataEnd: Int

    /// The most chunks read from one list.
    static let childLimit = 512

    /// The chunks of `bytes[start..<end]`; `fileOffset` is where `bytes[0]` lies in the file, for reasons.
    ///
    /// - Throws: ``ProbeFailure/malformed(_:)`` when a chunk overruns its list or a list has too many chunks.
    static func children(of bytes: [UInt8], from start: Int, to end: Int, fileOffset: Int64) throws -> [AVIChunk] {
        var chunks: [AVIChunk] = []
        var cursor = start
        let end = min(end, bytes.count)
        while cursor + 8 <= end {
            guard chunks.count < childLimit else {
                throw ProbeFailure.malformed(
                    "AVI: more than \(childLimit) chunks in the list ending at byte \(Int64(end) + fileOffset)")
            }
            let id = fourCC(bytes, at: cursor)
            guard let size = bytes.u32le(cursor + 4), cursor + 8 + Int(size) <= end else {
                throw ProbeFailure.malformed(
                    "AVI: chunk '\(id)' at byte \(Int64(cursor) + fileOffset) runs past the end of its list")
            }
            var chunk = AVIChunk(id: id, listType: nil, dataStart: cursor + 8, dataEnd: cursor + 8 + Int(size))
            if id == "LIST", size >= 4 {
                chunk.listType = fourCC(bytes, at: cursor + 8)
                chunk.dataStart += 4
            }
            chunks.append(chunk)
            cursor = chunk.dataEnd + Int(size & 1)
        }
        return chunks
    }

    /// The four bytes at `offset` as text (non-ASCII bytes become `?`).
    static func fourCC(_ bytes: [UInt8], at offset: Int) -> String {
        guard offset >= 0, offset + 4 <= bytes.count else { return "" }
        return String(bytes[offset..<(offset + 4)].map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "?" })
    }
}
