/// The header of one EBML element in the file: its ID, where it starts, and its data's place and size.
struct MatroskaElement {
    /// The element ID, marker bit included.
    var id: UInt32
    /// The byte where the ID starts.
    var offset: Int64
    /// The byte where the data starts.
    var dataOffset: Int64
    /// The data's length; `nil` for an unknown size (allowed for Segment and Cluster only).
    var size: Int64?

    /// The byte after the data, or `fallback` (the end of the parent) for an unknown size.
    func dataEnd(orElse fallback: Int64) -> Int64 { size.map { dataOffset + $0 } ?? fallback }
    /// The name, for reasons.
    var name: String { MatroskaEBML.name(of: id) }
}

/// One child of an element held in memory: its ID and its data's range in that memory.
struct MatroskaChild {
    var id: UInt32
    var data: Range<Int>
}

/// Reads EBML element headers from the file by seeking, and element data only when asked and small;
/// counts every element read and refuses more than ``maxElements``.
final class MatroskaElementReader {
    /// The most elements one probe reads; a file with more (or a crafted flood) is refused.
    static let maxElements = 100_000

    let reader: RandomAccessReader
    private var elements = 0

    init(reader: RandomAccessReader) {
        self.reader = reader
    }

    /// Counts one element; throws past ``maxElements``.
    func count(at offset: Int64) throws {
        elements += 1
        guard elements <= Self.maxElements else {
            throw ProbeFailure.malformed("more than \(Self.maxElements) EBML elements; stopped at byte \(offset)")
        }
    }

    /// Reads the header of the element at `offset`, whose data must end by `parentEnd`.
    ///
    /// - Returns: `nil` when fewer than 2 bytes are left before `parentEnd`.
    /// - Throws: ``ProbeFailure/malformed(_:)`` for an invalid ID or size, a size past `parentEnd`, or an
    ///   unknown size on an element other than Segment or Cluster.
    func header(at offset: Int64, parentEnd: Int64, parent: String) throws -> MatroskaElement? {
        let left = parentEnd - offset
        guard left >= 2 else { return nil }
        try count(at: offset)
        let bytes = try reader.read(at: offset, count: Int(min(left, 12)))
        guard let id = MatroskaEBML.id(in: bytes, at: 0) else {
            throw ProbeFailure.malformed("invalid EBML element ID at byte \(offset) in \(parent)")
        }
        let name = MatroskaEBML.name(of: id.value)
        guard let size = MatroskaEBML.size(in: bytes, at: id.length) else {
            throw ProbeFailure.malformed("invalid size of element \(name) at byte \(offset) in \(parent)")
        }
        let dataOffset = offset + Int64(id.length + size.length)
        guard let value = size.value else {
            guard id.value == MatroskaID.segment || id.value == MatroskaID.cluster else {
                throw ProbeFailure.malformed("element \(name) at byte \(offset) has an unknown size")
            }
            return MatroskaElement(id: id.value, offset: offset, dataOffset: dataOffset, size: nil)
        }
        guard dataOffset <= parentEnd, value <= UInt64(parentEnd - dataOffset) else {
            throw ProbeFailure.malformed(
                "element \(name) at byte \(offset) claims \(value) bytes, past the end of \(parent) at byte \(parentEnd)"
            )
        }
        return MatroskaElement(id: id.value, offset: offset, dataOffset: dataOffset, size: Int64(value))
    }

    /// The data of `element`, refused when larger than `limit` (never allocated by a claimed size).
    func data(of element: MatroskaElement, limit: Int) throws -> [UInt8] {
        guard let size = element.size else {
            throw ProbeFailure.malformed("element \(element.name) at byte \(element.offset) has an unknown size")
        }
        guard size <= Int64(limit) else {
            throw ProbeFailure.malformed(
                "element \(element.name) at byte \(element.offset) holds \(size) bytes, more than the \(limit) read")
        }
        return try reader.readExactly(at: element.dataOffset, count: Int(size), what: "element \(element.name)")
    }

    /// The children of an element whose data is `bytes[range]`; `base` is the file offset of `bytes[0]`.
    ///
    /// - Throws: ``ProbeFailure/malformed(_:)`` for an invalid ID or size, an unknown size, or a child
    ///   running past its parent.
    func children(in bytes: [UInt8], range: Range<Int>, base: Int64, parent: String) throws -> [MatroskaChild] {
        var found: [MatroskaChild] = []
        var at = range.lowerBound
        while at < range.upperBound {
            let position = base + Int64(at)
            try count(at: position)
            guard let id = MatroskaEBML.id(in: bytes, at: at), at + id.length < range.upperBound,
                let size = MatroskaEBML.size(in: bytes, at: at + id.length)
            else {
                throw ProbeFailure.malformed("invalid EBML element at byte \(position) in \(parent)")
            }
            let dataStart = at + id.length + size.length
            guard let value = size.value, dataStart <= range.upperBound,
                value <= UInt64(range.upperBound - dataStart)
            else {
                throw ProbeFailure.malformed(
                    "element \(MatroskaEBML.name(of: id.value)) at byte \(position) runs past the end of \(parent)")
            }
            let dataEnd = dataStart + Int(value)
            found.append(MatroskaChild(id: id.value, data: dataStart..<dataEnd))
            at = dataEnd
        }
        return found
    }
}
