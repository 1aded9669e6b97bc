/// The block sizes of a Vorbis stream, so that the samples each audio packet yields can be counted without
/// decoding: the two sizes from the identification header and, for each mode, whether it uses the long
/// block, from the end of the setup header.
///
/// The modes are the last thing in the setup header, so they are read backwards from its framing bit: each
/// mode is a block flag, a window type and a transform type (both 16 bits, zero), and a mapping number
/// (8 bits, below 64), preceded by the mode count less one (6 bits). Where several counts fit, the largest
/// is taken.
struct OggVorbisBlocks {
    /// The short and long block sizes in samples.
    let shortBlock: Int
    let longBlock: Int
    /// For each mode, whether it uses the long block.
    let longModes: [Bool]

    /// Reads the identification header `identification` and the setup header `setup`; `nil` when either
    /// does not read.
    init?(identification: [UInt8], setup: [UInt8]) {
        guard let sizes = identification.u8(28), setup.u8(0) == 0x05, setup.hasASCII("vorbis", at: 1) else {
            return nil
        }
        let shortExponent = Int(sizes & 0x0F)
        let longExponent = Int(sizes >> 4)
        guard (6...13).contains(shortExponent), (shortExponent...13).contains(longExponent),
            let modes = OggVorbisBlocks.modes(setup)
        else { return nil }
        shortBlock = 1 << shortExponent
        longBlock = 1 << longExponent
        longModes = modes
    }

    /// The block size of the audio packet whose first byte is `first`; `nil` for a header packet or a
    /// mode number out of range.
    func blockSize(firstByte first: UInt8) -> Int? {
        guard first & 0x01 == 0 else { return nil }
        var modeBits = 0
        while (1 << modeBits) < longModes.count { modeBits += 1 }
        let mode = Int(first >> 1) & ((1 << modeBits) - 1)
        guard mode < longModes.count else { return nil }
        return longModes[mode] ? longBlock : shortBlock
    }

    private static func modes(_ setup: [UInt8]) -> [Bool]? {
        var reader = BackwardBits(setup)
        guard reader.skipToFramingBit() else { return nil }
        var flagsFromLast: [Bool] = []
        var count = 0
        while reader.remaining >= 41 + 6, flagsFromLast.count < 64 {
            let mapping = reader.read(8)
            let transform = reader.read(16)
            let window = reader.read(16)
            let flag = reader.read(1)
            guard mapping < 64, transform == 0, window == 0 else { break }
            flagsFromLast.append(flag == 1)
            if reader.peek(6) + 1 == flagsFromLast.count { count = flagsFromLast.count }
        }
        guard count > 0 else { return nil }
        return Array(flagsFromLast[0..<count].reversed())
    }

    /// Reads the bits of a Vorbis packet (packed least significant bit first) from the end towards the
    /// start, each field's most significant bit first.
    private struct BackwardBits {
        let bytes: [UInt8]
        /// The index of the next bit to read; -1 when none is left.
        var position: Int

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            position = bytes.count * 8 - 1
        }

        var remaining: Int { position + 1 }

        /// Moves past the trailing zero bits and the framing bit; `false` when there is no set bit.
        mutating func skipToFramingBit() -> Bool {
            while position >= 0 {
                let bit = self.bit(position)
                position -= 1
                if bit == 1 { return true }
            }
            return false
        }

        mutating func read(_ count: Int) -> Int {
            let value = peek(count)
            position -= count
            return value
        }

        func peek(_ count: Int) -> Int {
            var value = 0
            for offset in 0..<count where position - offset >= 0 {
                value = value << 1 | bit(position - offset)
            }
            return value
        }

        private func bit(_ index: Int) -> Int { Int(bytes[index >> 3] >> UInt8(index & 7)) & 1 }
    }
}
