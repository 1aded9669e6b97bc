/// Lower-case hexadecimal text of bytes: digests, tokens, fingerprints. The package's one hex encoder
/// (percent-encoding writes its own upper-case pairs, as RFC 3986 asks).
public enum Hex {
    /// `bytes` as lower-case hex, two digits a byte, written straight into the string's storage.
    public static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            var index = 0
            for byte in bytes {
                text[index] = digit(byte >> 4)
                text[index + 1] = digit(byte & 0x0f)
                index += 2
            }
            return index
        }
    }

    /// `bytes` as lower-case hex, two digits a byte. A digest is best passed as its bytes
    /// (`digest.withUnsafeBytes(Hex.encode)`): iterated as a sequence from another module, a digest cost
    /// dozens of allocations a call (issue 14).
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        if let text = bytes.withContiguousStorageIfAvailable({ encode(UnsafeRawBufferPointer($0)) }) {
            return text
        }
        return Array(bytes).withUnsafeBytes { encode($0) }
    }

    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
    }
}
