/// The header of one ISO BMFF box (ISO/IEC 14496-12 §4.2): where it is, what it is, how big it is.
///
/// Sizes are checked when the header is read (``ISOBMFFBoxReader/header(at:parentEnd:parent:)``): the
/// box is at least as large as its header and ends inside its parent, so `end` never overflows.
struct ISOBMFFBox {
    /// The four-character type as a number, e.g. `ISOBMFFBox.moov`.
    var type: UInt32
    /// The byte where the box starts.
    var offset: Int64
    /// The length of the header: 8, or 16 with a 64-bit `largesize`.
    var headerSize: Int64
    /// The whole box's length, header included.
    var size: Int64

    /// The byte after the box.
    var end: Int64 { offset + size }
    /// The byte where the box's content starts.
    var bodyOffset: Int64 { offset + headerSize }
    /// The length of the box's content.
    var bodySize: Int64 { size - headerSize }
    /// The type as printable text, for reasons.
    var name: String { Self.name(of: type) }

    /// The type `text` (four ASCII characters) as a number.
    static func code(_ text: StaticString) -> UInt32 {
        var value: UInt32 = 0
        text.withUTF8Buffer { bytes in
            for byte in bytes.prefix(4) { value = value << 8 | UInt32(byte) }
        }
        return value
    }

    /// The type `code` as text: its four characters when printable, else hexadecimal.
    static func name(of code: UInt32) -> String {
        let bytes = [UInt8(code >> 24 & 0xFF), UInt8(code >> 16 & 0xFF), UInt8(code >> 8 & 0xFF), UInt8(code & 0xFF)]
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return String(decoding: bytes, as: UTF8.self) }
        return "0x" + String(code, radix: 16)
    }

    static let ftyp = code("ftyp")
    static let moov = code("moov")
    static let mdat = code("mdat")
    static let free = code("free")
    static let skip = code("skip")
    static let wide = code("wide")
    static let moof = code("moof")
    static let mvhd = code("mvhd")
    static let mvex = code("mvex")
    static let mehd = code("mehd")
    static let trex = code("trex")
    static let trak = code("trak")
    static let tkhd = code("tkhd")
    static let mdia = code("mdia")
    static let mdhd = code("mdhd")
    static let hdlr = code("hdlr")
    static let traf = code("traf")
    static let tfhd = code("tfhd")
    static let tfdt = code("tfdt")
    static let trun = code("trun")
}
