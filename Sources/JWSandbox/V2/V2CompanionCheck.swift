/// What the sandbox checks of a v2 thumbnail's image and a text track's file before calling them `ready`,
/// from the file's first bytes: an image begins with a JPEG, PNG, WebP or GIF signature; a WebVTT file
/// begins with `WEBVTT` (after an optional UTF-8 byte order mark); an SRT file's first cue is numbered `1`
/// and followed by a `-->` timing line. Each check gives the `error_message` of a `failed` file, or `nil`.
enum V2CompanionCheck {
    /// How many bytes of the file the checks read.
    static let headLength = 64 * 1024

    /// The text track formats a create may declare (`upload.file_format`).
    static let trackFormats = ["vtt", "srt"]

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Why `head`, the start of an image of `size` bytes, is not one, or `nil`.
    static func imageFailure(_ head: [UInt8], size: Int64) -> String? {
        guard size > 0 else { return "the image is empty" }
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<offset + signature.count]) == signature
        }
        let jpeg = starts([0xFF, 0xD8, 0xFF])
        let png = starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let gif = starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8))
        let webp = starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8)
        return jpeg || png || gif || webp ? nil : "not a JPEG, PNG, WebP or GIF image"
    }

    /// Why `head`, the start of a text track of `size` bytes declared as `format` (`vtt` or `srt`), is not
    /// one, or `nil`.
    static func trackFailure(_ head: [UInt8], size: Int64, format: String) -> String? {
        guard size > 0 else { return "the \(format) file is empty" }
        let body = head.starts(with: byteOrderMark) ? Array(head.dropFirst(byteOrderMark.count)) : head
        switch format {
        case "vtt":
            let signature = Array("WEBVTT".utf8)
            let after = body.count > signature.count ? body[signature.count] : nil
            guard body.starts(with: signature), after == nil || [0x20, 0x09, 0x0A, 0x0D].contains(after!) else {
                return "not a WebVTT file: it does not begin with WEBVTT"
            }
            return nil
        case "srt":
            // By bytes: a CRLF is one Character, which a split on "\n" would not cut.
            let lines = body.split(separator: 0x0A, omittingEmptySubsequences: false).map {
                Substring(String(decoding: $0, as: UTF8.self)).trimmingCharacters()
            }
            guard let first = lines.firstIndex(where: { !$0.isEmpty }), lines[first] == "1" else {
                return "not an SRT file: its first cue is not numbered 1"
            }
            guard lines.count > first + 1, lines[first + 1].contains("-->") else {
                return "not an SRT file: cue 1 has no timing line with -->"
            }
            return nil
        default:
            return "unknown text track format \(format)"
        }
    }
}
