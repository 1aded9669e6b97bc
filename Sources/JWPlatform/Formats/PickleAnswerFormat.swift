/// The `py` answer format: a Python pickle of plain data.
///
/// Reads protocols 0 to 5 as long as the pickle holds only dicts, lists, tuples, sets, frozensets, strs,
/// bytes, bytearrays, ints, floats, bools and `None`; every opcode that imports, calls or asks for an
/// object (`GLOBAL`, `STACK_GLOBAL`, `REDUCE`, `BUILD`, `INST`, `OBJ`, `NEWOBJ`, `NEWOBJ_EX`,
/// `EXT1/2/4`, `PERSID`, `BINPERSID`, `NEXT_BUFFER`, `READONLY_BUFFER`) is refused: the reader never
/// executes anything.
///
/// Tuples, sets and frozensets read as arrays; bytes as strings when they are UTF-8. Dict keys must be
/// strs, ints (read in decimal) or UTF-8 bytes. Containers shared through the memo are read as shared;
/// a container that contains itself is refused.
///
/// Writes protocol 2, which every Python 3 reads.
public struct PickleAnswerFormat: AnswerFormat {
    /// The limits the reader enforces.
    ///
    /// ``DecodingLimits/maxDepth`` and ``DecodingLimits/maxValues`` apply to the tree the pickle expands
    /// to, counting a shared container at each place it appears. While reading, the values the body
    /// makes, the stack, the memo and the entries of the containers are each held to
    /// ``DecodingLimits/maxValues``, and the open `MARK`s to ``DecodingLimits/maxDepth`` + 1, so memory
    /// stays in proportion to the limits whatever the body does.
    public var limits: DecodingLimits

    /// Creates the format.
    ///
    /// - Parameter limits: The limits enforced when reading; the defaults are far above any real answer.
    public init(limits: DecodingLimits = .standard) {
        self.limits = limits
    }

    /// `py`.
    public var name: AnswerFormatName { .py }

    /// Reads one pickle.
    ///
    /// - Throws: ``AnswerDecodingError`` with code `forbidden` for an opcode that imports or calls,
    ///   `unsupported` for a value the tree cannot hold (a cycle, bytes that are not text, an integer over
    ///   64 bits, a key that is not a str or int), and the usual codes for malformed or oversized bodies.
    ///   Beyond the body's own bytes, the text of the expanded tree may not exceed four times
    ///   ``DecodingLimits/maxBytes``, and a protocol-0 number may not be written with more than 1,024
    ///   characters.
    public func decode(_ bytes: [UInt8]) throws -> APIValue {
        var reader = PickleReader(bytes: bytes, limits: limits)
        return try reader.readDocument()
    }

    /// Writes `value` as a protocol-2 pickle.
    ///
    /// - Throws: ``AnswerEncodingError`` for a string of 4 GiB or more, which protocol 2 cannot carry.
    public func encode(_ value: APIValue) throws -> [UInt8] {
        var writer = PickleWriter()
        try writer.writeDocument(value)
        return writer.output
    }
}
