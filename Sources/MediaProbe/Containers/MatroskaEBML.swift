/// EBML variable-length integers (RFC 8794 §4): element IDs (1–4 bytes, marker bit kept) and data sizes
/// (1–8 bytes, marker bit removed; all value bits set means "unknown size").
enum MatroskaEBML {
    /// The length of a variable-length integer from its first byte: one more than its leading zero bits,
    /// `nil` for a zero byte (more than 8 bytes).
    static func length(first: UInt8) -> Int? {
        first == 0 ? nil : first.leadingZeroBitCount + 1
    }

    /// The element ID at `offset`, marker bit included (e.g. `0x1A45DFA3`), and its length.
    static func id(in bytes: [UInt8], at offset: Int) -> (value: UInt32, length: Int)? {
        guard let first = bytes.u8(offset), let length = length(first: first), length <= 4,
            let value = bytes.bigEndian(offset, width: length)
        else { return nil }
        return (UInt32(value), length)
    }

    /// The data size at `offset` and its length; the value is `nil` for the reserved "unknown" size.
    static func size(in bytes: [UInt8], at offset: Int) -> (value: UInt64?, length: Int)? {
        guard let first = bytes.u8(offset), let length = length(first: first),
            let raw = bytes.bigEndian(offset, width: length)
        else { return nil }
        let mask: UInt64 = (1 << UInt64(7 * length)) - 1
        let value = raw & mask
        return (value == mask ? nil : value, length)
    }

    /// An unsigned integer element's value: 0 to 8 big-endian bytes.
    static func unsigned(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard bytes.count <= 8 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A float element's value: 0 bytes (zero), or a 4- or 8-byte IEEE 754 big-endian number.
    static func float(_ bytes: ArraySlice<UInt8>) -> Double? {
        switch bytes.count {
        case 0: return 0
        case 4: return unsigned(bytes).map { Double(Float(bitPattern: UInt32($0))) }
        case 8: return unsigned(bytes).map { Double(bitPattern: $0) }
        default: return nil
        }
    }

    /// The element's name for reasons: the Matroska name of the IDs this reader uses, else hexadecimal.
    static func name(of id: UInt32) -> String {
        switch id {
        case MatroskaID.ebml: return "EBML"
        case MatroskaID.segment: return "Segment"
        case MatroskaID.seekHead: return "SeekHead"
        case MatroskaID.info: return "Info"
        case MatroskaID.tracks: return "Tracks"
        case MatroskaID.cluster: return "Cluster"
        case MatroskaID.trackEntry: return "TrackEntry"
        case MatroskaID.simpleBlock: return "SimpleBlock"
        case MatroskaID.blockGroup: return "BlockGroup"
        default: return "0x" + String(id, radix: 16, uppercase: true)
        }
    }
}

/// The Matroska element IDs this reader uses (Matroska specification, RFC 9559).
enum MatroskaID {
    static let ebml: UInt32 = 0x1A45_DFA3
    static let docType: UInt32 = 0x4282
    static let segment: UInt32 = 0x1853_8067
    static let seekHead: UInt32 = 0x114D_9B74
    static let seek: UInt32 = 0x4DBB
    static let seekID: UInt32 = 0x53AB
    static let seekPosition: UInt32 = 0x53AC
    static let info: UInt32 = 0x1549_A966
    static let timestampScale: UInt32 = 0x2A_D7B1
    static let duration: UInt32 = 0x4489
    static let tracks: UInt32 = 0x1654_AE6B
    static let trackEntry: UInt32 = 0xAE
    static let trackNumber: UInt32 = 0xD7
    static let trackType: UInt32 = 0x83
    static let defaultDuration: UInt32 = 0x23_E383
    static let cluster: UInt32 = 0x1F43_B675
    static let timestamp: UInt32 = 0xE7
    static let simpleBlock: UInt32 = 0xA3
    static let blockGroup: UInt32 = 0xA0
    static let block: UInt32 = 0xA1
    static let blockDuration: UInt32 = 0x9B
    static let crc32: UInt32 = 0xBF
    static let void: UInt32 = 0xEC

    /// Elements that may appear directly in a Cluster; any other ID ends a Cluster of unknown size.
    static let clusterChildren: Set<UInt32> = [
        timestamp, simpleBlock, blockGroup, crc32, void,
        0x5854,  // SilentTracks
        0xA7,  // Position
        0xAB,  // PrevSize
        0xAF,  // EncryptedBlock
    ]
}
