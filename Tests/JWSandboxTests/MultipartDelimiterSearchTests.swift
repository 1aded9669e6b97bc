import Testing

@testable import JWSandbox

/// The skipping search must find exactly what a byte-by-byte search finds: the first whole delimiter, and
/// otherwise the one place where the range ends in a beginning of it.
@Suite struct MultipartDelimiterSearchTests {
    /// A fixed-seed generator, so that a failure repeats.
    private struct Generator {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
    }

    private static func naiveFirstMatch(_ bytes: [UInt8], _ delimiter: [UInt8], from start: Int) -> Int? {
        guard bytes.count - start >= delimiter.count else { return nil }
        return (start...(bytes.count - delimiter.count)).first {
            Array(bytes[$0..<($0 + delimiter.count)]) == delimiter
        }
    }

    private static func naivePartialMatch(_ bytes: [UInt8], _ delimiter: [UInt8], from start: Int) -> Int? {
        (max(start, bytes.count - delimiter.count + 1)..<bytes.count).first {
            delimiter.starts(with: bytes[$0...])
        }
    }

    @Test func findsWhatAByteByByteSearchFinds() {
        var random = Generator()
        // Short delimiters and an alphabet of their own bytes: near misses and repeats everywhere.
        let delimiters = ["\r\n--b", "\r\n--bcb", "\r\n--b-b-", "\r\n--abcabcab"].map { Array($0.utf8) }
        let alphabet = Array("\r\n-abc".utf8)
        for round in 0..<4000 {
            let delimiter = delimiters[round % delimiters.count]
            let bytes = (0..<random.next(48)).map { _ in alphabet[random.next(alphabet.count)] }
            let start = bytes.isEmpty ? 0 : random.next(bytes.count + 1)
            let search = MultipartDelimiterSearch(delimiter: delimiter)
            let (match, partial) = bytes.withUnsafeBytes {
                (
                    search.firstMatch(in: $0, from: start, to: bytes.count),
                    search.partialMatchAtEnd(in: $0, from: start, to: bytes.count)
                )
            }
            let expected = Self.naiveFirstMatch(bytes, delimiter, from: start)
            #expect(match == expected, "round \(round): \(bytes) from \(start)")
            if expected == nil {
                #expect(
                    partial == Self.naivePartialMatch(bytes, delimiter, from: start),
                    "round \(round): \(bytes) from \(start)")
            }
        }
    }

    @Test func findsADelimiterAtTheVeryStartAndTheVeryEnd() {
        let delimiter = Array("\r\n--jwingest-0123".utf8)
        let search = MultipartDelimiterSearch(delimiter: delimiter)
        let media = [UInt8](repeating: 0xA7, count: 1000)
        for bytes in [delimiter + media, media + delimiter] {
            let found = bytes.withUnsafeBytes { search.firstMatch(in: $0, from: 0, to: bytes.count) }
            #expect(found == (bytes.first == 13 ? 0 : media.count))
        }
        let cut = media + delimiter.prefix(7)
        let partial = cut.withUnsafeBytes { search.partialMatchAtEnd(in: $0, from: 0, to: cut.count) }
        #expect(partial == media.count)
        let whole = cut.withUnsafeBytes { search.firstMatch(in: $0, from: 0, to: cut.count) }
        #expect(whole == nil)
    }
}
