/// Where an Ogg stream starts, for streams cut out of a longer one (a recording of a live stream) whose
/// granule positions do not start at zero: the first data page's granule minus what the data packets
/// completed by then account for.
///
/// Known for Vorbis (block sizes from the headers), Opus (each packet's length from its TOC byte) and
/// Theora (one frame per packet); FLAC would need its frame headers and is taken to start at zero.
enum OggStreamStart {
    /// The start position of the stream `serial`, in the units of ``OggCodec/units(ofGranule:)``, read from
    /// the pages in `bytes` (the start of the file); 0 when the stream starts at zero or it cannot be told.
    static func startUnits(codec: OggCodec, serial: UInt32, in bytes: [UInt8]) -> Int64 {
        guard let headerCount = codec.headerPacketCount,
            let packets = firstPackets(serial: serial, headerCount: headerCount, in: bytes)
        else { return 0 }
        let presented = codec.units(ofGranule: packets.granule)
        let accounted: Int64
        switch codec {
        case .opus:
            var samples: Int64 = 0
            for packet in packets.data {
                guard let count = opusSamples(packet) else { return 0 }
                samples += count
            }
            accounted = samples
        case .vorbis:
            guard packets.headers.count == 3,
                let blocks = OggVorbisBlocks(identification: packets.headers[0], setup: packets.headers[2]),
                let samples = vorbisSamples(packets.data, blocks: blocks)
            else { return 0 }
            accounted = samples
        case .theora:
            accounted = Int64(packets.data.count)
        case .flac:
            return 0
        }
        return max(0, presented &- accounted)
    }

    /// The packets at the start of a stream, through the first page that completes a data packet.
    struct FirstPackets {
        /// The header packets.
        var headers: [[UInt8]] = []
        /// The data packets completed through the first page that completes one.
        var data: [[UInt8]] = []
        /// That page's granule position.
        var granule: Int64 = -1
    }

    /// The packets of stream `serial` through its first page that completes a data packet; `nil` when
    /// `bytes` ends first or the header pages do not join up. A data packet cut by a missing page is dropped.
    static func firstPackets(serial: UInt32, headerCount: Int, in bytes: [UInt8]) -> FirstPackets? {
        var position = 0
        var result = FirstPackets()
        var packet: [UInt8] = []
        var packetOpen = false
        var dropping = false
        for _ in 0..<maximumPages {
            guard let page = OggPage(bytes, at: position), page.fits(in: bytes) else { return nil }
            position += page.length
            guard page.serial == serial else { continue }
            for (index, piece) in page.pieces(in: bytes).enumerated() {
                if index == 0 && page.continuesPacket != packetOpen {
                    // A page is missing (a recording that starts mid-packet): drop the broken packet.
                    guard result.headers.count == headerCount else { return nil }
                    packet = []
                    dropping = page.continuesPacket
                }
                packetOpen = !piece.completes
                if dropping {
                    dropping = !piece.completes
                    continue
                }
                packet += bytes[piece.start..<(piece.start + piece.length)]
                guard piece.completes else { continue }
                if result.headers.count < headerCount {
                    result.headers.append(packet)
                } else {
                    result.data.append(packet)
                }
                packet = []
            }
            if page.granule >= 0 && !result.data.isEmpty {
                result.granule = page.granule
                return result
            }
        }
        return nil
    }

    /// The 48 kHz samples in the Opus packet `packet` (RFC 6716, section 3.1); `nil` when it is too short
    /// to tell. An empty packet holds none.
    static func opusSamples(_ packet: [UInt8]) -> Int64? {
        guard let toc = packet.first else { return 0 }
        let config = Int(toc >> 3)
        let frameSize: Int64
        if config < 12 {
            frameSize = [480, 960, 1920, 2880][config & 3]
        } else if config < 16 {
            frameSize = [480, 960][config & 1]
        } else {
            frameSize = [120, 240, 480, 960][config & 3]
        }
        switch toc & 3 {
        case 0: return frameSize
        case 1, 2: return frameSize * 2
        default:
            guard let count = packet.u8(1) else { return nil }
            return frameSize * Int64(count & 0x3F)
        }
    }

    /// The samples the Vorbis audio packets `packets`, the first of the stream, yield: none for the first,
    /// then a quarter of the previous block plus a quarter of the current one for each. Empty packets
    /// yield nothing.
    static func vorbisSamples(_ packets: [[UInt8]], blocks: OggVorbisBlocks) -> Int64? {
        var previous: Int?
        var samples: Int64 = 0
        for packet in packets {
            guard let first = packet.first else { continue }
            guard let size = blocks.blockSize(firstByte: first) else { return nil }
            if let previous { samples += Int64(previous / 4 + size / 4) }
            previous = size
        }
        return samples
    }

    /// The most pages looked at before giving up.
    private static let maximumPages = 256
}
