/// Checks that answer bytes are well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
/// above U+10FFFF.
///
/// Shared by the readers that get text as raw bytes (``JSONAnswerFormat`` checks inside strings,
/// ``XMLAnswerFormat`` checks the whole body before libxml2 sees it). A sequence cut short by the end of
/// the body is told apart from a wrong one, so a reader can report a truncated body as such.
enum AnswerUTF8Validator {
    /// The result of checking one sequence.
    enum Sequence: Equatable {
        /// A well-formed sequence of `length` bytes.
        case valid(length: Int)
        /// A byte that cannot start a sequence here, or a wrong continuation byte.
        case invalid
        /// A correct start of a sequence that the end of the body cuts short.
        case truncated
    }

    /// A fault found in a whole buffer.
    struct Fault: Equatable {
        /// The offset of the first byte of the faulty sequence.
        var offset: Int
        /// `true` when the body ends inside an otherwise correct sequence.
        var truncated: Bool
    }

    /// Checks the sequence that starts at `index` (which must be inside `bytes`).
    static func sequence(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Sequence {
        let lead = bytes[index]
        if lead < 0x80 { return .valid(length: 1) }
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: return .invalid
        }
        for step in 1..<length {
            guard index + step < bytes.count else { return .truncated }
            let byte = bytes[index + step]
            if step == 1 {
                guard byte >= low && byte <= high else { return .invalid }
            } else {
                guard byte & 0xC0 == 0x80 else { return .invalid }
            }
        }
        return .valid(length: length)
    }

    /// The first fault in `bytes`, or `nil` when all of it is well-formed UTF-8.
    ///
    /// Runs over ASCII eight bytes at a time.
    /// - Parameters:
    ///   - bytes: The buffer to check.
    ///   - refusingNUL: Also report a NUL byte (as a fault that is not a truncation).
    static func firstFault(in bytes: UnsafeBufferPointer<UInt8>, refusingNUL: Bool = false) -> Fault? {
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var index = 0
        while index < count {
            if index + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let highBits = word & 0x8080_8080_8080_8080
                let zeroBytes = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
                if highBits == 0 && (!refusingNUL || zeroBytes == 0) {
                    index += 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte == 0 && refusingNUL { return Fault(offset: index, truncated: false) }
            switch sequence(in: bytes, at: index) {
            case .valid(let length): index += length
            case .invalid: return Fault(offset: index, truncated: false)
            case .truncated: return Fault(offset: index, truncated: true)
            }
        }
        return nil
    }
}
