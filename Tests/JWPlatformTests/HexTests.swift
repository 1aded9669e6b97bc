import Crypto
import Testing

@testable import JWPlatform

/// The one hex encoder: every byte value, and a digest passed as bytes or as a sequence, give the same text.
@Suite("hex")
struct HexTests {
    @Test("every byte value as two lower-case digits; a digest as bytes or as a sequence alike")
    func encodes() {
        let all = (0...255).map { UInt8($0) }
        let expected = all.map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
        #expect(Hex.encode(all) == expected)
        #expect(all.withUnsafeBytes(Hex.encode) == expected)
        #expect(Hex.encode(all.lazy.map { $0 }) == expected)
        #expect(Hex.encode([UInt8]()) == "")
        let digest = Insecure.MD5.hash(data: Array("jwingest".utf8))
        #expect(digest.withUnsafeBytes(Hex.encode) == Hex.encode(digest))
        #expect(Hex.encode(Insecure.MD5.hash(data: [UInt8]())) == "d41d8cd98f00b204e9800998ecf8427e")
    }
}
