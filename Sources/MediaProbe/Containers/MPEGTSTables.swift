/// The program tables of a transport stream: the PAT (PID 0) names the PMT PIDs, each PMT lists its
/// elementary streams and their types (ISO/IEC 13818-1 §2.4.4).
struct MPEGTSTables {
    /// An elementary stream announced by a PMT.
    struct Stream: Equatable {
        var pid: Int
        var streamType: UInt8
        var media: MPEGPESTimeline.Media?
    }

    /// The PMT PIDs named by the PAT, once it was read.
    private(set) var pmtPIDs: Set<Int>?
    /// The PMT PIDs read so far.
    private(set) var readPMTs: Set<Int> = []
    /// The elementary streams of every PMT read.
    private(set) var streams: [Stream] = []
    /// Sections being put together, by PID.
    private var pending: [Int: [UInt8]] = [:]

    /// Whether the PAT and every PMT it names were read.
    var complete: Bool { pmtPIDs.map { !$0.isEmpty && $0.isSubset(of: readPMTs) } ?? false }

    /// Whether packets of `pid` may carry a table this reader still needs.
    func wants(_ pid: Int) -> Bool {
        if pid == 0 { return pmtPIDs == nil }
        return pmtPIDs?.contains(pid) == true && !readPMTs.contains(pid)
    }

    /// Takes the payload (`start..<end` of `bytes`) of one packet of a table PID.
    mutating func take(pid: Int, unitStart: Bool, bytes: [UInt8], start: Int, end: Int) {
        guard start < end, end <= bytes.count else { return }
        var section: [UInt8]
        if unitStart {
            let pointer = Int(bytes[start])
            guard start + 1 + pointer < end else { return }
            section = Array(bytes[(start + 1 + pointer)..<end])
        } else {
            guard let partial = pending[pid] else { return }
            section = partial + bytes[start..<end]
        }
        guard let lengthField = section.u16be(1) else {
            pending[pid] = section
            return
        }
        let total = 3 + Int(lengthField & 0x0FFF)
        if section.count < total {
            pending[pid] = section.count < 4096 ? section : nil
            return
        }
        pending[pid] = nil
        parse(pid: pid, section: Array(section.prefix(total)))
    }

    private mutating func parse(pid: Int, section: [UInt8]) {
        let end = section.count - 4  // without the CRC
        if pid == 0, section.first == 0x00 {
            var pids: Set<Int> = []
            var cursor = 8
            while cursor + 4 <= end, let program = section.u16be(cursor), let mapPID = section.u16be(cursor + 2) {
                if program != 0 { pids.insert(Int(mapPID & 0x1FFF)) }
                cursor += 4
            }
            pmtPIDs = pids
        } else if section.first == 0x02, let infoLength = section.u16be(10) {
            var cursor = 12 + Int(infoLength & 0x0FFF)
            while cursor + 5 <= end, let type = section.u8(cursor), let esPID = section.u16be(cursor + 1),
                let esInfo = section.u16be(cursor + 3)
            {
                let infoEnd = min(end, cursor + 5 + Int(esInfo & 0x0FFF))
                let descriptors = Array(section[(cursor + 5)..<max(cursor + 5, infoEnd)])
                let stream = Stream(
                    pid: Int(esPID & 0x1FFF), streamType: type,
                    media: Self.media(streamType: type, descriptors: descriptors))
                if !streams.contains(where: { $0.pid == stream.pid }) { streams.append(stream) }
                cursor = infoEnd
            }
            readPMTs.insert(pid)
        }
    }

    /// What a stream of `streamType` carries; for private data (0x06), its descriptors decide.
    static func media(streamType: UInt8, descriptors: [UInt8]) -> MPEGPESTimeline.Media? {
        switch streamType {
        case 0x01, 0x02, 0x10, 0x1B, 0x1E, 0x1F, 0x20, 0x24, 0x27, 0x33, 0x42, 0xD1, 0xEA:
            return .video
        case 0x03, 0x04, 0x0F, 0x11, 0x1C, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0xA1, 0xA2:
            return .audio
        case 0x06:
            return privateMedia(descriptors)
        default:
            return nil
        }
    }

    /// Private PES data is audio when a descriptor says AC-3, E-AC-3, DTS, AAC or Opus.
    private static func privateMedia(_ descriptors: [UInt8]) -> MPEGPESTimeline.Media? {
        var cursor = 0
        while cursor + 2 <= descriptors.count {
            let tag = descriptors[cursor]
            let length = Int(descriptors[cursor + 1])
            if [0x6A, 0x7A, 0x7B, 0x7C].contains(tag) { return .audio }
            if tag == 0x05, cursor + 6 <= descriptors.count {
                let format = String(decoding: descriptors[(cursor + 2)..<(cursor + 6)], as: UTF8.self)
                if ["AC-3", "EAC3", "DTS1", "DTS2", "DTS3", "Opus", "BSSD", "mlpa"].contains(format) { return .audio }
                if ["HEVC", "VC-1", "AVSV", "drac"].contains(format) { return .video }
            }
            cursor += 2 + length
        }
        return nil
    }
}
