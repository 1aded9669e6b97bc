import Crypto

extension FileDigest {
    /// The digest of a file sent in parts, as S3 names a multipart object: the MD5 of the parts' binary
    /// MD5s one after another, then `-` and the number of parts (`9b2cf535f27731c974343645a3985328-3`).
    /// Each part was verified against its own `ETag`; this names the whole.
    ///
    /// - Parameters:
    ///   - partMD5s: Each part's MD5 in hex, in part order.
    ///   - size: The file's size.
    /// - Returns: `nil` when a part's MD5 is not 32 hex digits.
    public static func multipart(partMD5s: [String], size: Int64) -> FileDigest? {
        var md5 = Insecure.MD5()
        for hex in partMD5s {
            guard let bytes = Self.bytes(ofHex: hex), bytes.count == 16 else { return nil }
            md5.update(data: bytes)
        }
        return FileDigest(md5: md5.finalize().withUnsafeBytes(Hex.encode) + "-\(partMD5s.count)", size: size)
    }

    private static func bytes(ofHex hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
