/// Walks ISO BMFF boxes by seeking from header to header, reading only the headers and the few box bodies
/// asked for, and bounds the walk: at most ``maxBoxes`` headers and ``maxDepth`` levels.
final class ISOBMFFBoxReader {
    /// The most box headers one probe reads; a file with more (or a crafted loop) is refused.
    static let maxBoxes = 100_000
    /// The deepest nesting followed.
    static let maxDepth = 16

    /// The name of the file as the parent of the top-level boxes, in reasons.
    static let topLevel = "the file"

    let reader: RandomAccessReader
    private var visited = 0

    init(reader: RandomAccessReader) {
        self.reader = reader
    }

    /// Reads the header of the box at `offset`, which must end by `parentEnd`.
    ///
    /// - Returns: The header, or `nil` when fewer than 8 bytes are left before `parentEnd` (padding that
    ///   some writers leave at the end of a box or file).
    /// - Throws: ``ProbeFailure/malformed(_:)`` for a size smaller than the header or past the parent box,
    ///   or a size of 0 ("to the end of the file") below the top level;
    ///   ``ProbeFailure/truncated(_:)`` for a top-level box (`parent` is ``topLevel``) past the end of the
    ///   file.
    func header(at offset: Int64, parentEnd: Int64, parent: String) throws -> ISOBMFFBox? {
        let left = parentEnd - offset
        guard left >= 8 else { return nil }
        visited += 1
        guard visited <= Self.maxBoxes else {
            throw ProbeFailure.malformed("more than \(Self.maxBoxes) boxes; stopped at byte \(offset)")
        }
        let bytes = try reader.read(at: offset, count: Int(min(left, 16)))
        guard let size32 = bytes.u32be(0), let type = bytes.u32be(4) else {
            throw ProbeFailure.truncated("box header at byte \(offset): the file ends first")
        }
        let name = ISOBMFFBox.name(of: type)
        var headerSize: Int64 = 8
        var size: Int64
        switch size32 {
        case 0:
            guard parent == Self.topLevel else {
                throw ProbeFailure.malformed(
                    "box '\(name)' at byte \(offset) in \(parent) has size 0, which only a top-level box may have")
            }
            size = left
        case 1:
            headerSize = 16
            guard let large = bytes.u64be(8) else {
                throw ProbeFailure.truncated("box '\(name)' at byte \(offset): its 64-bit size is cut off")
            }
            guard large <= UInt64(Int64.max) else {
                throw ProbeFailure.malformed("box '\(name)' at byte \(offset) declares an absurd size \(large)")
            }
            size = Int64(large)
        default:
            size = Int64(size32)
        }
        guard size >= headerSize else {
            throw ProbeFailure.malformed(
                "box '\(name)' at byte \(offset) declares \(size) bytes, less than its \(headerSize)-byte header")
        }
        let (end, overflow) = offset.addingReportingOverflow(size)
        if overflow || end > parentEnd {
            if parent == Self.topLevel {
                throw ProbeFailure.truncated(
                    "box '\(name)' at byte \(offset) declares \(size) bytes; the file ends at byte \(reader.size)")
            }
            throw ProbeFailure.malformed(
                "box '\(name)' at byte \(offset) declares \(size) bytes; its parent \(parent) ends at byte \(parentEnd)"
            )
        }
        return ISOBMFFBox(type: type, offset: offset, headerSize: headerSize, size: size)
    }

    /// Calls `visit` with each box from `start` to `end`, in order, until it returns `false`.
    func forEachBox(
        from start: Int64, to end: Int64, depth: Int, parent: String, _ visit: (ISOBMFFBox) throws -> Bool
    ) throws {
        guard depth <= Self.maxDepth else {
            throw ProbeFailure.malformed("boxes nested deeper than \(Self.maxDepth) levels in \(parent)")
        }
        var offset = start
        while offset < end, let box = try header(at: offset, parentEnd: end, parent: parent) {
            guard try visit(box) else { return }
            offset = box.end
        }
    }

    /// Calls `visit` with each child of `box`.
    func forEachChild(of box: ISOBMFFBox, depth: Int, _ visit: (ISOBMFFBox) throws -> Bool) throws {
        try forEachBox(
            from: box.bodyOffset, to: box.end, depth: depth, parent: "'\(box.name)' at byte \(box.offset)", visit)
    }

    /// The first `count` bytes of `box`'s content, or all of it when shorter.
    func body(of box: ISOBMFFBox, upTo count: Int) throws -> [UInt8] {
        try reader.read(at: box.bodyOffset, count: Int(min(box.bodySize, Int64(count))))
    }

    /// The whole content of `box`, refused when larger than `limit`.
    func wholeBody(of box: ISOBMFFBox, limit: Int) throws -> [UInt8] {
        guard box.bodySize <= Int64(limit) else {
            throw ProbeFailure.malformed(
                "box '\(box.name)' at byte \(box.offset) holds \(box.bodySize) bytes, more than the \(limit) read")
        }
        return try reader.readExactly(at: box.bodyOffset, count: Int(box.bodySize), what: "box '\(box.name)'")
    }
}
