import Foundation
import JWTestSupport
import Testing

@testable import JWPlatform

/// The bytes of `text` in UTF-8.
private func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// `value` as `count` little-endian bytes.
private func littleEndian(_ value: UInt64, _ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * $0)) }
}

/// A protocol-4 pickle: `PROTO 4`, then `body` in one `FRAME`.
private func framed(_ body: [UInt8]) -> [UInt8] {
    [0x80, 4, 0x95] + littleEndian(UInt64(body.count), 8) + body
}

/// A pickle the reader must refuse, with the code it must give.
struct HostilePickle: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    /// The codes accepted (one, or two where either is right).
    var codes: [AnswerDecodingError.Code]
    /// A text the message must hold (the opcode it names), if any.
    var mentions: String?

    init(_ name: String, _ bytes: [UInt8], _ codes: AnswerDecodingError.Code..., mentions: String? = nil) {
        self.name = name
        self.bytes = bytes
        self.codes = codes
        self.mentions = mentions
    }

    var testDescription: String { name }
}

@Suite("the py answer format: Python pickles of plain data")
struct PickleAnswerFormatTests {
    static let treeNames = ["create", "upload", "list"]
    /// Every pickle fixture, without its extension: `create.p0` … `list.p5`, `extras.p4`, `extras.p5`.
    static let fixtures: [String] =
        treeNames.flatMap { name in (0...5).map { "\(name).p\($0)" } } + ["extras.p4", "extras.p5"]
    let py = PickleAnswerFormat()

    static func expectedTree(_ name: String) throws -> APIValue {
        try JSONAnswerFormat().decode(fixtureBytes("formats/\(name).json"))
    }

    // MARK: - Reading what CPython writes

    @Test("a fixture written by CPython's pickle.dumps reads as the tree of its .json", arguments: fixtures)
    func readsFixture(name: String) throws {
        let tree = String(name.prefix { $0 != "." })
        let decoded = try py.decode(fixtureBytes("formats/\(name).pickle"))
        let expected = try Self.expectedTree(tree)
        #expect(decoded == expected)
    }

    @Test("the list fixture: a list shared through the memo appears filled in both places; tuples are arrays")
    func sharedListAndTuple() throws {
        for protocolVersion in 0...5 {
            let list = try py.decode(fixtureBytes("formats/list.p\(protocolVersion).pickle"))
            let videos = list["videos"]?.arrayValue ?? []
            #expect(videos.count == 3)
            #expect(videos.first?["tags"] == ["news", "démo"])
            #expect(videos.dropFirst().first?["tags"] == ["news", "démo"])
            #expect(videos.first?["dimensions"] == [1920, 1080])
            #expect(videos.first?["views"] == .int(4_294_967_296))
            #expect(videos.first?["size"] == .int(9_007_199_254_740_993))
            #expect(videos.last?["views"] == .int(-2_147_483_649))
            #expect(videos.last?["duration"] == .double(1e25))
            #expect(videos.first?["title"] == "démo ☃ 日本")
            #expect(videos.dropFirst().first?["custom"] == .object(APIObject()))
        }
    }

    @Test("sets, frozensets, bytes and bytearrays, int and bytes keys (protocols 4 and 5)")
    func extras() throws {
        let extras = try py.decode(fixtureBytes("formats/extras.p5.pickle"))
        #expect(extras["ids"] == [1, 2, 3])
        #expect(extras["frozen"] == [5, 7])
        #expect(extras["data"] == "utf-8 ☃")
        #expect(extras["blob"] == "raw bytes")
        #expect(extras["by_id"] == ["1": "one", "2": "two"])
        #expect(extras["bytes key"] == "value")
        #expect(extras["pair"] == [["reused": true], ["reused": true]])
        #expect(extras["nested"] == [[1, 2], [3, [4]]])
    }

    @Test("protocol-0 and protocol-1 opcodes with text arguments")
    func textOpcodes() throws {
        #expect(try py.decode(utf8("I01\n.")) == .bool(true))
        #expect(try py.decode(utf8("I00\n.")) == .bool(false))
        #expect(try py.decode(utf8("I-7\n.")) == .int(-7))
        #expect(try py.decode(utf8("I2147483648\n.")) == .int(2_147_483_648))
        #expect(try py.decode(utf8("L12345678901L\n.")) == .int(12_345_678_901))
        #expect(try py.decode(utf8("L-9223372036854775808L\n.")) == .int(.min))
        #expect(try py.decode(utf8("F1.5\n.")) == .double(1.5))
        #expect(try py.decode(utf8("F1e+25\n.")) == .double(1e25))
        #expect(try py.decode(utf8("Finf\n.")) == .double(.infinity))
        #expect(try py.decode(utf8("F-inf\n.")) == .double(-.infinity))
        #expect(try py.decode(utf8("S'a\\'b\\n\\x41\\101\\\\'\n.")) == .string("a'b\nAA\\"))
        #expect(try py.decode(utf8("S\"d\\xc3\\xa9mo\"\n.")) == .string("démo"))
        #expect(try py.decode(utf8("Vd\\u00e9mo \\u2603 \\U0001f3ac\n.")) == .string("démo ☃ 🎬"))
        // raw-unicode-escape: other bytes are Latin-1; a backslash escapes only after an odd run.
        #expect(try py.decode([0x56, 0xE9] + utf8("\\\\u0041\\x\n.")) == .string("é\\\\u0041\\x"))
        #expect(try py.decode(utf8("(lp0\nI1\na(lp1\nag1\na.")) == [1, [], []])
        #expect(try py.decode(utf8("(dp0\nVk\np1\ng1\ns.")) == ["k": "k"])
        #expect(try py.decode(utf8("(I1\nI2\nt.")) == [1, 2])
        #expect(try py.decode(utf8("(I1\nVa\nd.")) == ["1": "a"])
        // POP with nothing above the mark drops the mark, as in CPython.
        #expect(try py.decode(utf8("(0N.")) == .null)
    }

    @Test("binary opcodes: integers of every width, floats, strings and bytes of every length form")
    func binaryOpcodes() throws {
        #expect(try py.decode([0x80, 2, 0x4B, 0xFF, 0x2E]) == .int(255))
        #expect(try py.decode([0x80, 2, 0x4D, 0xFF, 0xFF, 0x2E]) == .int(65_535))
        #expect(try py.decode([0x80, 2, 0x4A, 0xFE, 0xFF, 0xFF, 0xFF, 0x2E]) == .int(-2))
        #expect(try py.decode([0x80, 2, 0x8A, 0, 0x2E]) == .int(0))
        #expect(try py.decode([0x80, 2, 0x8A, 1, 0xFF, 0x2E]) == .int(-1))
        #expect(try py.decode([0x80, 2, 0x8A, 5, 0, 0, 0, 0, 1, 0x2E]) == .int(4_294_967_296))
        #expect(try py.decode([0x80, 2, 0x8A, 8, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x2E]) == .int(.min))
        #expect(try py.decode([0x80, 2, 0x8A, 9, 0, 0, 0, 0, 0, 0, 0, 0x80, 0xFF, 0x2E]) == .int(.min))
        #expect(
            try py.decode([0x80, 2, 0x8A, 9, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0x2E]) == .int(.max))
        #expect(try py.decode([0x80, 2, 0x8B, 2, 0, 0, 0, 0x01, 0x01, 0x2E]) == .int(257))
        #expect(try py.decode([0x80, 2, 0x47, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0, 0x2E]) == .double(1.5))
        #expect(try py.decode([0x80, 2, 0x88, 0x2E]) == .bool(true))
        #expect(try py.decode([0x80, 2, 0x89, 0x2E]) == .bool(false))
        #expect(try py.decode([0x80, 2, 0x4E, 0x2E]) == .null)
        #expect(try py.decode([0x80, 2, 0x58, 3, 0, 0, 0] + utf8("☃") + [0x2E]) == "☃")
        #expect(try py.decode(framed([0x8C, 1, 0x61, 0x2E])) == "a")
        #expect(try py.decode(framed([0x8D] + littleEndian(1, 8) + [0x61, 0x2E])) == "a")
        #expect(try py.decode([0x80, 2, 0x54, 1, 0, 0, 0, 0x61, 0x2E]) == "a")
        #expect(try py.decode([0x80, 2, 0x55, 1, 0x61, 0x2E]) == "a")
        #expect(try py.decode([0x80, 3, 0x42, 1, 0, 0, 0, 0x61, 0x2E]) == "a")
        #expect(try py.decode([0x80, 3, 0x43, 1, 0x61, 0x2E]) == "a")
        #expect(try py.decode(framed([0x8E] + littleEndian(1, 8) + [0x61, 0x2E])) == "a")
        #expect(try py.decode([0x80, 5, 0x96] + littleEndian(1, 8) + [0x61, 0x2E]) == "a")
        // TUPLE1/2/3, EMPTY_TUPLE, DUP, MEMOIZE and LONG_BINGET, EMPTY_SET with ADDITEMS, FROZENSET.
        #expect(try py.decode([0x80, 2, 0x4E, 0x85, 0x2E]) == [nil])
        #expect(try py.decode([0x80, 2, 0x4E, 0x4E, 0x86, 0x2E]) == [nil, nil])
        #expect(try py.decode([0x80, 2, 0x4E, 0x4E, 0x4E, 0x87, 0x2E]) == [nil, nil, nil])
        #expect(try py.decode([0x80, 2, 0x29, 0x2E]) == [])
        #expect(try py.decode([0x80, 2, 0x88, 0x32, 0x86, 0x2E]) == [true, true])
        #expect(try py.decode(framed([0x88, 0x94, 0x30, 0x6A, 0, 0, 0, 0, 0x2E])) == .bool(true))
        #expect(try py.decode(framed([0x8F, 0x28, 0x4B, 1, 0x4B, 2, 0x90, 0x2E])) == [1, 2])
        #expect(try py.decode(framed([0x28, 0x4B, 1, 0x91, 0x2E])) == [1])
        // A value popped before STOP may be one the tree could not hold.
        #expect(try py.decode([0x80, 2, 0x8A, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x30, 0x4E, 0x2E]) == .null)
        #expect(try py.decode([0x80, 3, 0x43, 1, 0xFF, 0x30, 0x4E, 0x2E]) == .null)
    }

    @Test("a list memoized before it is filled is the same list wherever it is fetched")
    func sharedMutableList() throws {
        // l = []; outer = [l, l]; l.append(1) — as CPython writes it: EMPTY_LIST, BINPUT, fill later.
        let body: [UInt8] = [
            0x80, 2, 0x5D, 0x71, 0,  // outer = []
            0x28,  // MARK
            0x5D, 0x71, 1,  // l = [], memo 1
            0x68, 1,  // l again
            0x65,  // APPENDS: outer = [l, l]
            0x68, 1, 0x4B, 1, 0x61,  // l.append(1)
            0x30,  // POP l
            0x2E,
        ]
        #expect(try py.decode(body) == [[1], [1]])
    }

    // MARK: - Refusing

    static let stackGlobalExploit: [UInt8] = framed(
        [0x8C, 2] + utf8("os") + [0x94, 0x8C, 6] + utf8("system") + [0x94, 0x93, 0x94, 0x8C, 7] + utf8("echo hi")
            + [0x94, 0x85, 0x94, 0x52, 0x94, 0x2E])

    /// `L0 = []`, then sixty times `Ln = [Ln-1, Ln-1]`: 600 bytes standing for 2⁶¹ values.
    static let sharedReferenceBomb: [UInt8] = {
        var body: [UInt8] = [0x80, 2, 0x5D, 0x71, 0]
        for _ in 0..<60 { body += [0x30, 0x5D, 0x28, 0x68, 0, 0x68, 0, 0x65, 0x71, 0] }
        return body + [0x2E]
    }()

    static let hostilePickles: [HostilePickle] = [
        HostilePickle(
            "GLOBAL os.system + REDUCE", utf8("cos\nsystem\n(S'echo hi'\ntR."), .forbidden, mentions: "GLOBAL"),
        HostilePickle("STACK_GLOBAL (protocol 4)", stackGlobalExploit, .forbidden, mentions: "STACK_GLOBAL"),
        HostilePickle("REDUCE", [0x80, 2, 0x29, 0x29, 0x52, 0x2E], .forbidden, mentions: "REDUCE"),
        HostilePickle("BUILD", [0x80, 2, 0x7D, 0x71, 0, 0x7D, 0x62, 0x2E], .forbidden, mentions: "BUILD"),
        HostilePickle("NEWOBJ", [0x80, 2, 0x29, 0x29, 0x81, 0x2E], .forbidden, mentions: "NEWOBJ"),
        HostilePickle("NEWOBJ_EX", framed([0x29, 0x29, 0x7D, 0x92, 0x2E]), .forbidden, mentions: "NEWOBJ_EX"),
        HostilePickle("INST", utf8("(ios\nsystem\nS'echo hi'\n."), .forbidden, mentions: "INST"),
        HostilePickle("OBJ", utf8("(]o."), .forbidden, mentions: "OBJ"),
        HostilePickle("EXT1", [0x80, 2, 0x82, 1, 0x2E], .forbidden, mentions: "EXT1"),
        HostilePickle("EXT2", [0x80, 2, 0x83, 1, 0, 0x2E], .forbidden, mentions: "EXT2"),
        HostilePickle("EXT4", [0x80, 2, 0x84, 1, 0, 0, 0, 0x2E], .forbidden, mentions: "EXT4"),
        HostilePickle("PERSID", utf8("Pkey\n."), .forbidden, mentions: "PERSID"),
        HostilePickle("BINPERSID", [0x80, 2, 0x58, 1, 0, 0, 0, 0x6B, 0x51, 0x2E], .forbidden, mentions: "BINPERSID"),
        HostilePickle("NEXT_BUFFER", [0x80, 5, 0x97, 0x2E], .forbidden, mentions: "NEXT_BUFFER"),
        HostilePickle("READONLY_BUFFER", [0x80, 5, 0x5D, 0x98, 0x2E], .forbidden, mentions: "READONLY_BUFFER"),
        HostilePickle("shared-reference bomb", sharedReferenceBomb, .tooLarge),
        HostilePickle("recursive list (l.append(l))", [0x80, 2, 0x5D, 0x71, 0, 0x68, 0, 0x61, 0x2E], .unsupported),
        HostilePickle(
            "recursive dict", [0x80, 2, 0x7D, 0x71, 0, 0x58, 1, 0, 0, 0, 0x61, 0x68, 0, 0x73, 0x2E], .unsupported),
        HostilePickle(
            "list in a tuple in itself",
            [0x80, 2, 0x5D, 0x71, 0, 0x68, 0, 0x85, 0x61, 0x2E], .unsupported),
        HostilePickle(
            "EMPTY_LIST x 10,000 then APPEND x 9,999",
            [0x80, 2] + [UInt8](repeating: 0x5D, count: 10_000) + [UInt8](repeating: 0x61, count: 9_999) + [0x2E],
            .tooDeep),
        HostilePickle(
            "(EMPTY_LIST MARK) x 10,000 then APPENDS x 10,000",
            [0x80, 2] + Array([[UInt8]](repeating: [0x5D, 0x28], count: 10_000).joined())
                + [UInt8](repeating: 0x65, count: 10_000) + [0x2E],
            .tooDeep),
        HostilePickle(
            "MARK x 10,000 then LIST x 10,000",
            [UInt8](repeating: 0x28, count: 10_000) + [UInt8](repeating: 0x6C, count: 10_000) + [0x2E], .tooDeep),
        HostilePickle(
            "BINUNICODE of 50 MB in 100 bytes",
            [0x80, 2, 0x58] + littleEndian(50_000_000, 4) + [UInt8](repeating: 0x41, count: 92) + [0x2E],
            .tooLarge, .truncated),
        HostilePickle(
            "BINUNICODE of 5 MB in 100 bytes",
            [0x80, 2, 0x58] + littleEndian(5_000_000, 4) + [UInt8](repeating: 0x41, count: 92) + [0x2E],
            .truncated),
        HostilePickle(
            "BINUNICODE8 of 2^64-1 bytes", framed([0x8D] + littleEndian(.max, 8) + [0x2E]), .tooLarge, .truncated),
        HostilePickle(
            "BINBYTES8 of 2^62 bytes", framed([0x8E] + littleEndian(1 << 62, 8) + [0x2E]), .tooLarge, .truncated),
        HostilePickle("LONG4 of 2 GB", [0x80, 2, 0x8B, 0xFF, 0xFF, 0xFF, 0x7F, 0x2E], .tooLarge, .truncated),
        HostilePickle("FRAME beyond the body", [0x80, 4, 0x95] + littleEndian(1 << 40, 8) + [0x4E, 0x2E], .tooLarge),
        HostilePickle("BINSTRING with a negative length", [0x80, 2, 0x54, 0xFF, 0xFF, 0xFF, 0xFF, 0x2E], .syntax),
        HostilePickle("invalid UTF-8 in BINUNICODE", [0x80, 2, 0x58, 2, 0, 0, 0, 0xC3, 0x28, 0x2E], .invalidUTF8),
        HostilePickle(
            "a surrogate in BINUNICODE", [0x80, 2, 0x58, 3, 0, 0, 0, 0xED, 0xA0, 0x80, 0x2E], .invalidUTF8),
        HostilePickle("a lone surrogate in UNICODE", utf8("V\\ud800\n."), .invalidUTF8),
        HostilePickle("bytes that are not UTF-8", [0x80, 3, 0x43, 2, 0xFF, 0xFE, 0x2E], .unsupported),
        HostilePickle(
            "an int beyond 64 bits", [0x80, 2, 0x8A, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x2E], .unsupported),
        HostilePickle("a LONG beyond 64 bits", utf8("L9223372036854775808L\n."), .unsupported),
        HostilePickle(
            "a float as a dict key", [0x80, 2, 0x7D, 0x47, 0, 0, 0, 0, 0, 0, 0, 0, 0x4E, 0x73, 0x2E], .unsupported),
        HostilePickle("a tuple as a dict key", [0x80, 2, 0x7D, 0x29, 0x4E, 0x73, 0x2E], .unsupported),
        HostilePickle("None as a dict key", [0x80, 2, 0x7D, 0x4E, 0x4E, 0x73, 0x2E], .unsupported),
        HostilePickle("protocol 6", [0x80, 6, 0x4E, 0x2E], .unsupported),
        HostilePickle("unknown opcode", [0x80, 2, 0xFF, 0x2E], .syntax),
        HostilePickle("APPEND on an empty stack", [0x80, 2, 0x61, 0x2E], .syntax),
        HostilePickle("APPEND across a mark", [0x80, 2, 0x5D, 0x28, 0x4E, 0x61, 0x2E], .syntax),
        HostilePickle("APPEND to a dict", [0x80, 2, 0x7D, 0x4E, 0x61, 0x2E], .syntax),
        HostilePickle("SETITEM into a list", [0x80, 2, 0x5D, 0x4E, 0x4E, 0x73, 0x2E], .syntax),
        HostilePickle("APPENDS without a mark", [0x80, 2, 0x5D, 0x65, 0x2E], .syntax),
        HostilePickle("DICT with an odd count", utf8("(I1\nd."), .syntax),
        HostilePickle("GET of a missing memo entry", [0x80, 2, 0x68, 7, 0x2E], .syntax),
        HostilePickle("STOP on an empty stack", [0x80, 2, 0x2E], .syntax),
        HostilePickle("STOP with values left", [0x80, 2, 0x4E, 0x4E, 0x2E], .syntax),
        HostilePickle("STRING without quotes", utf8("Sabc\n."), .syntax),
        HostilePickle("a bad FLOAT", utf8("F1.5x\n."), .syntax),
        HostilePickle("trailing data", [0x80, 2, 0x4E, 0x2E, 0x4E], .trailingData),
        HostilePickle("empty body", [], .truncated),
        HostilePickle("no STOP", [0x80, 2, 0x4E], .truncated),
        HostilePickle("a line without its newline", utf8("I12"), .truncated),
    ]

    @Test("a hostile pickle is refused quickly with the right code and an offset", arguments: hostilePickles)
    func refusesHostilePickle(_ pickle: HostilePickle) {
        let start = ContinuousClock.now
        let error = decodingError { try py.decode(pickle.bytes) }
        let elapsed = ContinuousClock.now - start
        #expect(
            error.map { pickle.codes.contains($0.code) } == true, "\(error.map(String.init(describing:)) ?? "no error")"
        )
        #expect(error?.format == .py)
        #expect(error?.offset != nil)
        if let mentions = pickle.mentions {
            #expect(error?.message.contains("opcode \(mentions) (0x") == true, "\(error?.message ?? "")")
            #expect(error?.message.hasSuffix("; refused") == true)
        }
        #expect(elapsed < .seconds(2))
    }

    @Test("the classic os.system pickle is refused at its first byte, naming GLOBAL")
    func globalMessage() {
        let error = decodingError { try py.decode(utf8("cos\nsystem\n(S'echo hi'\ntR.")) }
        #expect(error?.offset == 0)
        #expect(error?.message == "opcode GLOBAL (0x63) imports code; refused")
    }

    @Test(
        "every prefix of a fixture is refused as truncated", arguments: ["list.p0", "list.p2", "list.p4", "extras.p5"])
    func refusesEveryPrefix(name: String) throws {
        let bytes = try fixtureBytes("formats/\(name).pickle")
        for length in 0..<bytes.count {
            let error = decodingError { try py.decode(Array(bytes[..<length])) }
            #expect(error?.code == .truncated, "prefix of \(length) bytes: \(String(describing: error))")
        }
    }

    @Test("the limits given are enforced on the expanded tree")
    func customLimits() throws {
        let body = try fixtureBytes("formats/list.p4.pickle")
        let small = DecodingLimits(maxBytes: 100, maxDepth: 128, maxValues: 2_000_000)
        #expect(decodingError { try PickleAnswerFormat(limits: small).decode(body) }?.code == .tooLarge)
        let shallow = DecodingLimits(maxBytes: 1 << 20, maxDepth: 3, maxValues: 2_000_000)
        #expect(decodingError { try PickleAnswerFormat(limits: shallow).decode(body) }?.code == .tooDeep)
        let few = DecodingLimits(maxBytes: 1 << 20, maxDepth: 128, maxValues: 50)
        #expect(decodingError { try PickleAnswerFormat(limits: few).decode(body) }?.code == .tooLarge)
        // A shared list counts at each place it appears: [l, l] with l = [None] is 5 values, 2 deep.
        let shared: [UInt8] = [0x80, 2, 0x5D, 0x4E, 0x61, 0x71, 0, 0x68, 0, 0x86, 0x2E]
        let five = DecodingLimits(maxBytes: 100, maxDepth: 2, maxValues: 5)
        #expect(try PickleAnswerFormat(limits: five).decode(shared) == [[nil], [nil]])
        let four = DecodingLimits(maxBytes: 100, maxDepth: 2, maxValues: 4)
        #expect(decodingError { try PickleAnswerFormat(limits: four).decode(shared) }?.code == .tooLarge)
        let flat = DecodingLimits(maxBytes: 100, maxDepth: 1, maxValues: 5)
        #expect(decodingError { try PickleAnswerFormat(limits: flat).decode(shared) }?.code == .tooDeep)
    }

    // MARK: - Writing

    static let edgeTree: APIValue = [
        "ints": [
            0, 1, 255, 256, 65_535, 65_536, -1, -129, 2_147_483_647, -2_147_483_648, 2_147_483_648, -2_147_483_649,
            .int(1 << 40), .int(.max), .int(.min),
        ],
        "floats": [0.1, 1.5, 2.0, 1e25, 1e-7, .double(.leastNonzeroMagnitude), 1.7976931348623157e308, -3.75],
        "text": "démo ☃ 日本 🎬 \"quoted\" back\\slash\nnew line",
        "emptyText": "",
        "emptyObject": [:],
        "emptyArray": [],
        "null": nil,
        "bools": [true, false],
        "one": [1],
        "oneMember": ["k": "v"],
        "batched": .array((0..<2_500).map { .int(Int64($0)) }),
        "batchedObject": .object(APIObject((0..<1_001).map { ("k\($0)", .int(Int64($0))) })),
        "nested": [[[["deep": [1, [2, [3]]]]]]],
    ]

    @Test("the writer's exact bytes follow CPython's protocol 2")
    func writerBytes() throws {
        #expect(try py.encode(nil) == [0x80, 2, 0x4E, 0x2E])
        #expect(try py.encode(true) == [0x80, 2, 0x88, 0x2E])
        #expect(try py.encode(false) == [0x80, 2, 0x89, 0x2E])
        #expect(try py.encode(255) == [0x80, 2, 0x4B, 0xFF, 0x2E])
        #expect(try py.encode(256) == [0x80, 2, 0x4D, 0x00, 0x01, 0x2E])
        #expect(try py.encode(-1) == [0x80, 2, 0x4A, 0xFF, 0xFF, 0xFF, 0xFF, 0x2E])
        #expect(try py.encode(2_147_483_648) == [0x80, 2, 0x8A, 5, 0, 0, 0, 0x80, 0, 0x2E])
        #expect(try py.encode(-2_147_483_649) == [0x80, 2, 0x8A, 5, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0x2E])
        #expect(try py.encode(.int(.min)) == [0x80, 2, 0x8A, 8, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x2E])
        #expect(try py.encode(1.5) == [0x80, 2, 0x47, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0, 0x2E])
        #expect(try py.encode("☃") == [0x80, 2, 0x58, 3, 0, 0, 0] + utf8("☃") + [0x2E])
        #expect(try py.encode([]) == [0x80, 2, 0x5D, 0x2E])
        #expect(try py.encode([:]) == [0x80, 2, 0x7D, 0x2E])
        #expect(try py.encode([1]) == [0x80, 2, 0x5D, 0x4B, 1, 0x61, 0x2E])
        #expect(try py.encode([1, 2]) == [0x80, 2, 0x5D, 0x28, 0x4B, 1, 0x4B, 2, 0x65, 0x2E])
        #expect(try py.encode(["a": nil]) == [0x80, 2, 0x7D, 0x58, 1, 0, 0, 0, 0x61, 0x4E, 0x73, 0x2E])
        #expect(
            try py.encode(.object(APIObject([("a", nil), ("b", nil)])))
                == [0x80, 2, 0x7D, 0x28, 0x58, 1, 0, 0, 0, 0x61, 0x4E, 0x58, 1, 0, 0, 0, 0x62, 0x4E, 0x75, 0x2E])
    }

    @Test("the writer batches APPENDS and SETITEMS by 1,000, as CPython does")
    func writerBatches() throws {
        let list = try py.encode(.array((0..<2_001).map { _ in .null }))
        #expect(list.filter { $0 == 0x65 }.count == 2)  // two APPENDS of 1,000
        #expect(list.filter { $0 == 0x61 }.count == 1)  // and one APPEND
        #expect(list.filter { $0 == 0x28 }.count == 2)
    }

    @Test("decode(encode(tree)) gives back the tree")
    func roundTrip() throws {
        var trees = [Self.edgeTree]
        for name in Self.treeNames + ["extras"] { trees.append(try Self.expectedTree(name)) }
        for tree in trees {
            #expect(try py.decode(py.encode(tree)) == tree)
        }
        let special = try py.decode(py.encode([.double(.infinity), .double(-.infinity), .double(.nan)])).arrayValue
        #expect(special?.first == .double(.infinity))
        #expect(special?.dropFirst().first == .double(-.infinity))
        if case .double(let nan) = special?.last { #expect(nan.isNaN) } else { Issue.record("no NaN") }
    }

    @Test("real CPython unpickles what the writer writes")
    func cpythonReadsTheWriter() async throws {
        guard let python = ChildProcess.which("python3") else {
            Issue.record("python3 is not on the PATH")
            return
        }
        var trees = [Self.edgeTree]
        for name in Self.treeNames + ["extras"] { trees.append(try Self.expectedTree(name)) }
        let script = "import pickle,sys,json; print(json.dumps(pickle.loads(sys.stdin.buffer.read())))"
        for tree in trees {
            let result = try await ChildProcess.run(python, ["-c", script], input: try py.encode(tree))
            #expect(result.status == 0, "\(result.standardError)")
            #expect(try JSONAnswerFormat().decode(Array(result.standardOutput.utf8)) == tree)
        }
        let special = try await ChildProcess.run(
            python,
            [
                "-c",
                "import pickle,sys,math; v = pickle.loads(sys.stdin.buffer.read()); "
                    + "print(v[0] == math.inf, v[1] == -math.inf, math.isnan(v[2]))",
            ],
            input: try py.encode([.double(.infinity), .double(-.infinity), .double(.nan)]))
        #expect(special.standardOutput == "True True True\n", "\(special.standardError)")
    }
}
