/// What a file's name says it could be beside a media file of the same name in the same folder:
/// `ep1.jpg` (`.jpeg`, `.png`, `.webp`) a thumbnail, `ep1.en.vtt` (`.srt`) English captions, `ep1.vtt`
/// captions without a language, `ep1.chapters.vtt` chapters (`ep1.chapters.fr.vtt` and
/// `ep1.fr.chapters.vtt` French chapters). The content is checked by probing before a file is paired.
struct SidecarName: Hashable {
    enum Role: Hashable {
        case thumbnail
        case captions
        case chapters
    }

    /// The name of the media file without its extension (`ep1` for `ep1.mp4`).
    var stem: Substring
    var role: Role
    /// The language code as written in the name.
    var language: String?
    /// The extension's preference: `jpg` before `jpeg`, `png`, `webp`; `vtt` before `srt`.
    var rank: Int

    /// Which sidecar of a media it competes with: one thumbnail, one track per kind and language.
    var slot: String {
        switch role {
        case .thumbnail: return "thumbnail"
        case .captions: return "captions:\(language?.lowercased() ?? "")"
        case .chapters: return "chapters:\(language?.lowercased() ?? "")"
        }
    }

    static let imageExtensions = ["jpg", "jpeg", "png", "webp"]
    static let trackExtensions = ["vtt", "srt"]

    /// Every reading of `name` as a sidecar: `ep1.en.vtt` is English captions of `ep1` and captions
    /// without a language of `ep1.en`.
    static func readings(of name: String) -> [SidecarName] {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return [] }
        let fileExtension = name[name.index(after: dot)...].lowercased()
        let base = name[..<dot]
        if let rank = imageExtensions.firstIndex(of: fileExtension) {
            return [SidecarName(stem: base, role: .thumbnail, rank: rank)]
        }
        guard let rank = trackExtensions.firstIndex(of: fileExtension) else { return [] }
        var readings = [SidecarName(stem: base, role: .captions, rank: rank)]
        guard let inner = base.lastIndex(of: "."), inner != base.startIndex else { return readings }
        let last = base[base.index(after: inner)...]
        let rest = base[..<inner]
        if last.lowercased() == "chapters" {
            readings.append(SidecarName(stem: rest, role: .chapters, rank: rank))
            if let split = splitLanguage(rest) {
                readings.append(SidecarName(stem: split.stem, role: .chapters, language: split.language, rank: rank))
            }
        } else if ScanLanguages.isCode(last) {
            readings.append(SidecarName(stem: rest, role: .captions, language: String(last), rank: rank))
            if let chapters = rest.lastIndex(of: "."), chapters != rest.startIndex,
                rest[rest.index(after: chapters)...].lowercased() == "chapters"
            {
                readings.append(
                    SidecarName(stem: rest[..<chapters], role: .chapters, language: String(last), rank: rank))
            }
        }
        return readings
    }

    /// `ep1.fr` → (`ep1`, `fr`) when what follows the last dot is a language code.
    private static func splitLanguage(_ text: Substring) -> (stem: Substring, language: String)? {
        guard let dot = text.lastIndex(of: "."), dot != text.startIndex else { return nil }
        let code = text[text.index(after: dot)...]
        guard ScanLanguages.isCode(code) else { return nil }
        return (text[..<dot], String(code))
    }

    /// `ep1` for `ep1.mp4`: the name a media file's sidecars start with.
    static func stem(ofMedia name: String) -> Substring {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return Substring(name) }
        return name[..<dot]
    }
}
