/// Reads one Python pickle of plain data into an ``APIValue`` tree, without executing anything.
///
/// A stack machine over the data opcodes of protocols 0 to 5. Opcodes that import, call or hand out
/// objects are refused before their arguments are read. Containers live in a ``PickleHeap`` while the
/// body is read (the stack and the memo hold handles, as CPython's hold references) and become a tree at
/// `STOP`, through ``PickleMaterializer``, which refuses cycles and enforces the depth and size limits.
///
/// Every opcode consumes at least one byte and does work in proportion to the bytes it consumes or the
/// values it pops, so reading is linear in the size of the body.
struct PickleReader {
    private let bytes: [UInt8]
    private let limits: DecodingLimits
    private var position = 0
    private var stack: [PickleNode] = []
    /// The stack heights at which the open marks were set, innermost last.
    private var marks: [Int] = []
    private var memo = PickleMemo()
    private var heap = PickleHeap()
    /// How many values the body has made so far (`GET` and `DUP` make none).
    private var createdValues = 0
    /// How many entries the containers hold so far.
    private var containerEntries = 0

    /// The newest protocol the reader knows.
    static let highestProtocol = 5
    /// The longest text number read (`INT`, `LONG`, `FLOAT`, `GET`, `PUT`).
    private static let maximumNumberLength = 1024

    init(bytes: [UInt8], limits: DecodingLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Reads the whole body: opcodes up to `STOP`, which must be the last byte.
    mutating func readDocument() throws -> APIValue {
        guard bytes.count <= limits.maxBytes else {
            throw failure(.tooLarge, at: 0, "the body is \(bytes.count) bytes, over the limit of \(limits.maxBytes)")
        }
        while true {
            let start = position
            guard position < bytes.count else {
                throw failure(.truncated, at: position, "the body ends before STOP")
            }
            let byte = bytes[position]
            position += 1
            guard let opcode = PickleOpcode(rawValue: byte) else {
                throw failure(.syntax, at: start, "unknown opcode 0x\(String(byte, radix: 16))")
            }
            if let message = opcode.refusalMessage {
                throw failure(.forbidden, at: start, message)
            }
            if opcode == .stop {
                return try finish(at: start)
            }
            try run(opcode, at: start)
        }
    }

    private mutating func finish(at start: Int) throws -> APIValue {
        let root = try pop(for: .stop, at: start)
        guard stack.isEmpty, marks.isEmpty else {
            throw failure(
                .syntax, at: start,
                "STOP leaves \(stack.count) values and \(marks.count) marks on the stack")
        }
        guard position == bytes.count else {
            throw failure(.trailingData, at: position, "\(bytes.count - position) bytes follow STOP")
        }
        memo.removeAll()
        return try PickleMaterializer(heap: heap, limits: limits).materialize(root)
    }

    // MARK: - Opcodes

    private mutating func run(_ opcode: PickleOpcode, at start: Int) throws {
        switch opcode {
        case .proto:
            let version = try readUnsigned(byteCount: 1, for: opcode)
            guard version <= PickleReader.highestProtocol else {
                throw failure(
                    .unsupported, at: start, "pickle protocol \(version) is newer than \(PickleReader.highestProtocol)")
            }
        case .frame:
            let length = try readUnsigned(byteCount: 8, for: opcode)
            try checkLength(length, for: opcode, at: start)

        case .none: try pushNew(.none)
        case .newTrue: try pushNew(.bool(true))
        case .newFalse: try pushNew(.bool(false))
        case .int:
            let line = try readLine(for: opcode)
            if line.elementsEqual("00".utf8) {
                try pushNew(.bool(false))
            } else if line.elementsEqual("01".utf8) {
                try pushNew(.bool(true))
            } else {
                try pushNew(try decimalNode(line, for: opcode, at: start))
            }
        case .long:
            var line = try readLine(for: opcode)
            if line.last == UInt8(ascii: "L") { line = line.dropLast() }
            try pushNew(try decimalNode(line, for: opcode, at: start))
        case .binInt:
            let raw = try readUnsigned(byteCount: 4, for: opcode)
            try pushNew(.int(Int64(Int32(truncatingIfNeeded: raw))))
        case .binInt1:
            try pushNew(.int(Int64(try readUnsigned(byteCount: 1, for: opcode))))
        case .binInt2:
            try pushNew(.int(Int64(try readUnsigned(byteCount: 2, for: opcode))))
        case .long1:
            let length = try readUnsigned(byteCount: 1, for: opcode)
            try pushNew(longNode(try readPayload(length: length, for: opcode, at: start), at: start))
        case .long4:
            let length = try readSignedLength(for: opcode, at: start)
            try pushNew(longNode(try readPayload(length: length, for: opcode, at: start), at: start))
        case .float:
            let line = try readLine(for: opcode)
            try checkNumberLength(line, for: opcode, at: start)
            guard let value = PickleTextArguments.float(line) else {
                throw failure(.syntax, at: start, "the argument of FLOAT is not a float")
            }
            try pushNew(.double(value))
        case .binFloat:
            try pushNew(.double(Double(bitPattern: try readBigEndianUInt64(for: opcode))))

        case .string:
            let line = try readLine(for: opcode)
            let decoded: [UInt8]
            do throws(PickleTextFault) {
                decoded = try PickleTextArguments.quotedBytes(line)
            } catch {
                throw textFailure(error, at: start)
            }
            try pushNew(bytesNode(decoded[...], for: opcode, at: start))
        case .binString:
            let length = try readSignedLength(for: opcode, at: start)
            try pushNew(bytesNode(try readPayload(length: length, for: opcode, at: start), for: opcode, at: start))
        case .shortBinString, .shortBinBytes:
            let length = try readUnsigned(byteCount: 1, for: opcode)
            try pushNew(bytesNode(try readPayload(length: length, for: opcode, at: start), for: opcode, at: start))
        case .binBytes:
            let length = try readUnsigned(byteCount: 4, for: opcode)
            try pushNew(bytesNode(try readPayload(length: length, for: opcode, at: start), for: opcode, at: start))
        case .binBytes8, .byteArray8:
            let length = try readUnsigned(byteCount: 8, for: opcode)
            try pushNew(bytesNode(try readPayload(length: length, for: opcode, at: start), for: opcode, at: start))
        case .unicode:
            let line = try readLine(for: opcode)
            let decoded: String
            do throws(PickleTextFault) {
                decoded = try PickleTextArguments.rawUnicodeEscape(line)
            } catch {
                throw textFailure(error, at: start)
            }
            try pushNew(.text(decoded))
        case .shortBinUnicode:
            let length = try readUnsigned(byteCount: 1, for: opcode)
            try pushNew(
                .text(try text(try readPayload(length: length, for: opcode, at: start), for: opcode, at: start)))
        case .binUnicode:
            let length = try readUnsigned(byteCount: 4, for: opcode)
            try pushNew(
                .text(try text(try readPayload(length: length, for: opcode, at: start), for: opcode, at: start)))
        case .binUnicode8:
            let length = try readUnsigned(byteCount: 8, for: opcode)
            try pushNew(
                .text(try text(try readPayload(length: length, for: opcode, at: start), for: opcode, at: start)))

        case .emptyList: try pushNew(heap.make(.list, at: start))
        case .emptyTuple: try pushNew(heap.make(.tuple, at: start))
        case .emptyDict: try pushNew(heap.make(.dict, at: start))
        case .emptySet: try pushNew(heap.make(.set, at: start))
        case .list: try pushContainer(.list, items: try popMark(for: opcode, at: start), at: start)
        case .tuple: try pushContainer(.tuple, items: try popMark(for: opcode, at: start), at: start)
        case .frozenSet: try pushContainer(.frozenSet, items: try popMark(for: opcode, at: start), at: start)
        case .tuple1, .tuple2, .tuple3:
            let count = opcode == .tuple1 ? 1 : opcode == .tuple2 ? 2 : 3
            try requireValues(count, for: opcode, at: start)
            let items = Array(stack.suffix(count))
            stack.removeLast(count)
            try pushContainer(.tuple, items: items, at: start)
        case .dict:
            let items = try popMark(for: opcode, at: start)
            let dict = heap.make(.dict, at: start)
            try setItems(items, into: dict, for: opcode, at: start)
            try pushNew(dict)

        case .append:
            let value = try pop(for: opcode, at: start)
            let target = try top(for: opcode, at: start)
            try append([value], to: target, for: opcode, at: start)
        case .appends:
            let items = try popMark(for: opcode, at: start)
            let target = try top(for: opcode, at: start)
            try append(items, to: target, for: opcode, at: start)
        case .setItem:
            let value = try pop(for: opcode, at: start)
            let key = try pop(for: opcode, at: start)
            let target = try top(for: opcode, at: start)
            try setItems([key, value], into: target, for: opcode, at: start)
        case .setItems:
            let items = try popMark(for: opcode, at: start)
            let target = try top(for: opcode, at: start)
            try setItems(items, into: target, for: opcode, at: start)
        case .addItems:
            let items = try popMark(for: opcode, at: start)
            let target = try top(for: opcode, at: start)
            guard case .container(let handle) = target, heap.containers[handle].kind == .set else {
                throw failure(.syntax, at: start, "ADDITEMS to a \(heap.typeName(of: target)), not a set")
            }
            try addEntries(items.count, at: start)
            heap.containers[handle].items.append(contentsOf: items)

        case .mark:
            guard marks.count <= limits.maxDepth else {
                throw failure(
                    .tooDeep, at: start, "more than \(limits.maxDepth + 1) open marks; containers nest too deep")
            }
            marks.append(stack.count)
        case .pop:
            if stack.count > (marks.last ?? 0) {
                stack.removeLast()
            } else if !marks.isEmpty {
                marks.removeLast()
            } else {
                throw underflow(opcode, at: start)
            }
        case .popMark:
            _ = try popMark(for: opcode, at: start)
        case .dup:
            try pushShared(try top(for: opcode, at: start))

        case .put:
            let line = try readLine(for: opcode)
            try checkNumberLength(line, for: opcode, at: start)
            guard case .value(let index) = PickleTextArguments.decimal(line), index >= 0 else {
                throw failure(.syntax, at: start, "the argument of PUT is not a memo index")
            }
            try remember(Int(index), try top(for: opcode, at: start), at: start)
        case .binPut:
            let index = try readUnsigned(byteCount: 1, for: opcode)
            try remember(index, try top(for: opcode, at: start), at: start)
        case .longBinPut:
            let index = try readUnsigned(byteCount: 4, for: opcode)
            try remember(index, try top(for: opcode, at: start), at: start)
        case .memoize:
            try remember(memo.count, try top(for: opcode, at: start), at: start)
        case .get:
            let line = try readLine(for: opcode)
            try checkNumberLength(line, for: opcode, at: start)
            guard case .value(let index) = PickleTextArguments.decimal(line), index >= 0 else {
                throw failure(.syntax, at: start, "the argument of GET is not a memo index")
            }
            try push(memoEntry: Int(index), for: opcode, at: start)
        case .binGet:
            try push(memoEntry: try readUnsigned(byteCount: 1, for: opcode), for: opcode, at: start)
        case .longBinGet:
            try push(memoEntry: try readUnsigned(byteCount: 4, for: opcode), for: opcode, at: start)

        case .stop, .global, .stackGlobal, .inst, .obj, .reduce, .build, .newObj, .newObjEx, .ext1, .ext2,
            .ext4, .persID, .binPersID, .nextBuffer, .readonlyBuffer:
            // Handled before `run` is called; kept here so that the switch stays exhaustive.
            throw failure(.forbidden, at: start, opcode.refusalMessage ?? "opcode \(opcode.name) refused")
        }
    }

    // MARK: - Containers

    private mutating func append(
        _ items: [PickleNode], to target: PickleNode, for opcode: PickleOpcode, at start: Int
    ) throws {
        guard case .container(let handle) = target, heap.containers[handle].kind == .list else {
            throw failure(.syntax, at: start, "\(opcode.name) to a \(heap.typeName(of: target)), not a list")
        }
        try addEntries(items.count, at: start)
        heap.containers[handle].items.append(contentsOf: items)
    }

    /// Adds alternating keys and values to the dict `target`.
    private mutating func setItems(
        _ items: [PickleNode], into target: PickleNode, for opcode: PickleOpcode, at start: Int
    ) throws {
        guard case .container(let handle) = target, heap.containers[handle].kind == .dict else {
            throw failure(.syntax, at: start, "\(opcode.name) into a \(heap.typeName(of: target)), not a dict")
        }
        guard items.count % 2 == 0 else {
            throw failure(.syntax, at: start, "\(opcode.name) with an odd number of items (\(items.count))")
        }
        var keys: [String] = []
        var values: [PickleNode] = []
        keys.reserveCapacity(items.count / 2)
        values.reserveCapacity(items.count / 2)
        var index = 0
        while index < items.count {
            keys.append(try dictKey(items[index], at: start))
            values.append(items[index + 1])
            index += 2
        }
        try addEntries(values.count, at: start)
        heap.containers[handle].keys.append(contentsOf: keys)
        heap.containers[handle].items.append(contentsOf: values)
    }

    /// The member name a dict key becomes: a `str`, an `int` in decimal, or UTF-8 `bytes`.
    private func dictKey(_ key: PickleNode, at start: Int) throws -> String {
        switch key {
        case .text(let text): return text
        case .int(let number): return String(number)
        case .refused(let index): throw heap.refusals[index]
        case .none, .bool, .double, .container:
            throw failure(
                .unsupported, at: start,
                "a dict key of type \(heap.typeName(of: key)); only str, int and UTF-8 bytes keys are read")
        }
    }

    // MARK: - Stack

    /// Pops the values above the innermost mark, and the mark.
    private mutating func popMark(for opcode: PickleOpcode, at start: Int) throws -> [PickleNode] {
        guard let mark = marks.popLast() else {
            throw failure(.syntax, at: start, "\(opcode.name) without a MARK")
        }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func pop(for opcode: PickleOpcode, at start: Int) throws -> PickleNode {
        try requireValues(1, for: opcode, at: start)
        return stack.removeLast()
    }

    private func top(for opcode: PickleOpcode, at start: Int) throws -> PickleNode {
        try requireValues(1, for: opcode, at: start)
        return stack[stack.count - 1]
    }

    /// Checks that `count` values lie above the innermost mark.
    private func requireValues(_ count: Int, for opcode: PickleOpcode, at start: Int) throws {
        guard stack.count - (marks.last ?? 0) >= count else { throw underflow(opcode, at: start) }
    }

    /// Pushes a value the body has just made. A real pickle makes no more values than its tree holds.
    private mutating func pushNew(_ node: PickleNode) throws {
        createdValues += 1
        guard createdValues <= limits.maxValues else {
            throw failure(.tooLarge, at: position, "the pickle makes more than \(limits.maxValues) values")
        }
        try pushShared(node)
    }

    /// Pushes a value again (`DUP`, `GET`).
    private mutating func pushShared(_ node: PickleNode) throws {
        guard stack.count < limits.maxValues else {
            throw failure(.tooLarge, at: position, "more than \(limits.maxValues) values on the stack")
        }
        stack.append(node)
    }

    /// Makes a container holding `items` and pushes it.
    private mutating func pushContainer(_ kind: PickleContainer.Kind, items: [PickleNode], at start: Int) throws {
        try addEntries(items.count, at: start)
        try pushNew(heap.make(kind, at: start, items: items))
    }

    /// Counts `count` new container entries against ``DecodingLimits/maxValues``.
    private mutating func addEntries(_ count: Int, at start: Int) throws {
        containerEntries += count
        guard containerEntries <= limits.maxValues else {
            throw failure(.tooLarge, at: start, "the containers hold more than \(limits.maxValues) entries")
        }
    }

    /// Stores `node` in the memo at `index`.
    private mutating func remember(_ index: Int, _ node: PickleNode, at start: Int) throws {
        guard memo.count < limits.maxValues || memo.contains(index) else {
            throw failure(.tooLarge, at: start, "more than \(limits.maxValues) memo entries")
        }
        memo.store(node, at: index)
    }

    private mutating func push(memoEntry index: Int, for opcode: PickleOpcode, at start: Int) throws {
        guard let node = memo[index] else {
            throw failure(.syntax, at: start, "\(opcode.name) of memo entry \(index), which was never stored")
        }
        try pushShared(node)
    }

    // MARK: - Scalars

    private mutating func decimalNode(
        _ text: ArraySlice<UInt8>, for opcode: PickleOpcode, at start: Int
    ) throws -> PickleNode {
        try checkNumberLength(text, for: opcode, at: start)
        switch PickleTextArguments.decimal(text) {
        case .value(let number): return .int(number)
        case .overflow: return heap.refuse(failure(.unsupported, at: start, "an integer that does not fit in 64 bits"))
        case .invalid: throw failure(.syntax, at: start, "the argument of \(opcode.name) is not an integer")
        }
    }

    private mutating func longNode(_ payload: ArraySlice<UInt8>, at start: Int) -> PickleNode {
        guard let number = PickleTextArguments.integer(littleEndian: payload) else {
            return heap.refuse(failure(.unsupported, at: start, "an integer that does not fit in 64 bits"))
        }
        return .int(number)
    }

    /// `bytes` become text when they are UTF-8; otherwise they are refused if they reach the answer.
    private mutating func bytesNode(_ payload: ArraySlice<UInt8>, for opcode: PickleOpcode, at start: Int) -> PickleNode
    {
        guard let string = PickleReader.utf8String(payload) else {
            return heap.refuse(
                failure(.unsupported, at: start, "\(opcode.name) holds \(payload.count) bytes that are not UTF-8 text"))
        }
        return .text(string)
    }

    private func text(_ payload: ArraySlice<UInt8>, for opcode: PickleOpcode, at start: Int) throws -> String {
        if let fault = payload.withUnsafeBufferPointer({ AnswerUTF8Validator.firstFault(in: $0) }) {
            throw failure(
                .invalidUTF8, at: payload.startIndex + fault.offset,
                "the \(payload.count) bytes of \(opcode.name) at byte \(start) are not valid UTF-8")
        }
        return String(decoding: payload, as: UTF8.self)
    }

    // MARK: - Arguments

    private mutating func readUnsigned(byteCount: Int, for opcode: PickleOpcode) throws -> Int {
        guard bytes.count - position >= byteCount else { throw endOfBody(inside: opcode) }
        var value: UInt64 = 0
        for index in 0..<byteCount {
            value |= UInt64(bytes[position + index]) << UInt64(8 * index)
        }
        position += byteCount
        guard let result = Int(exactly: value) else {
            throw failure(.tooLarge, at: position - byteCount, "the argument of \(opcode.name) is \(value)")
        }
        return result
    }

    /// Reads the 4-byte signed length of `BINSTRING` and `LONG4`, which must not be negative.
    private mutating func readSignedLength(for opcode: PickleOpcode, at start: Int) throws -> Int {
        let raw = try readUnsigned(byteCount: 4, for: opcode)
        let length = Int(Int32(truncatingIfNeeded: raw))
        guard length >= 0 else {
            throw failure(.syntax, at: start, "\(opcode.name) with a negative length (\(length))")
        }
        return length
    }

    private mutating func readBigEndianUInt64(for opcode: PickleOpcode) throws -> UInt64 {
        guard bytes.count - position >= 8 else { throw endOfBody(inside: opcode) }
        var value: UInt64 = 0
        for index in 0..<8 { value = value << 8 | UInt64(bytes[position + index]) }
        position += 8
        return value
    }

    /// Reads `length` bytes after checking the length against the limit and the bytes that remain.
    private mutating func readPayload(length: Int, for opcode: PickleOpcode, at start: Int) throws -> ArraySlice<UInt8>
    {
        try checkLength(length, for: opcode, at: start)
        let payload = bytes[position..<position + length]
        position += length
        return payload
    }

    private func checkLength(_ length: Int, for opcode: PickleOpcode, at start: Int) throws {
        guard length <= limits.maxBytes else {
            throw failure(
                .tooLarge, at: start, "\(opcode.name) claims \(length) bytes, over the limit of \(limits.maxBytes)")
        }
        guard length <= bytes.count - position else {
            throw failure(
                .truncated, at: start,
                "\(opcode.name) claims \(length) bytes but only \(bytes.count - position) remain")
        }
    }

    /// Reads up to the next newline and moves past it.
    private mutating func readLine(for opcode: PickleOpcode) throws -> ArraySlice<UInt8> {
        guard let newline = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw endOfBody(inside: opcode)
        }
        let line = bytes[position..<newline]
        position = newline + 1
        return line
    }

    private func checkNumberLength(_ text: ArraySlice<UInt8>, for opcode: PickleOpcode, at start: Int) throws {
        guard text.count <= PickleReader.maximumNumberLength else {
            throw failure(.tooLarge, at: start, "the argument of \(opcode.name) is \(text.count) characters long")
        }
    }

    // MARK: - Errors

    private func endOfBody(inside opcode: PickleOpcode) -> AnswerDecodingError {
        failure(.truncated, at: bytes.count, "the body ends inside the argument of \(opcode.name)")
    }

    private func underflow(_ opcode: PickleOpcode, at start: Int) -> AnswerDecodingError {
        failure(.syntax, at: start, "\(opcode.name) finds too few values on the stack")
    }

    private func textFailure(_ fault: PickleTextFault, at start: Int) -> AnswerDecodingError {
        switch fault {
        case .malformed(let message): failure(.syntax, at: start, message)
        case .notUnicode(let message): failure(.invalidUTF8, at: start, message)
        }
    }

    private func failure(_ code: AnswerDecodingError.Code, at offset: Int, _ message: String) -> AnswerDecodingError {
        AnswerDecodingError(format: .py, code: code, offset: offset, message: message)
    }

    /// The text of `slice` when it is valid UTF-8.
    private static func utf8String(_ slice: ArraySlice<UInt8>) -> String? {
        let valid = slice.withUnsafeBufferPointer { AnswerUTF8Validator.firstFault(in: $0) == nil }
        return valid ? String(decoding: slice, as: UTF8.self) : nil
    }
}
