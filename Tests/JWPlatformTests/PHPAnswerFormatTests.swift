import Foundation
import JWTestSupport
import Testing

@testable import JWPlatform

/// The bytes of `text` in UTF-8.
private func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A body the PHP reader must refuse, with the code it must give.
struct HostilePHPBody: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var code: AnswerDecodingError.Code
    /// A text the message must hold (the construct it names), if any.
    var mentions: String?

    var testDescription: String { name }
}

@Suite("the php answer format: PHP serialize()")
struct PHPAnswerFormatTests {
    static let fixtureNames = ["create", "upload", "list"]
    let php = PHPAnswerFormat()

    static func expectedTree(_ name: String) throws -> APIValue {
        try JSONAnswerFormat().decode(fixtureBytes("formats/\(name).json"))
    }

    // MARK: - Reading what PHP writes

    @Test("a fixture written by PHP's serialize() reads as the tree of its .json", arguments: fixtureNames)
    func readsFixture(name: String) throws {
        let decoded = try php.decode(fixtureBytes("formats/\(name).php.txt"))
        let expected = try Self.expectedTree(name)
        #expect(php.normalized(decoded) == php.normalized(expected))
        // Only empty containers differ before normalization.
        #expect(decoded == php.normalized(decoded))
    }

    @Test("the list fixture keeps types: ints beyond 32 and 53 bits, floats, bools, null, non-ASCII text")
    func listFixtureTypes() throws {
        let list = try php.decode(fixtureBytes("formats/list.php.txt"))
        let first = list["videos"]?.arrayValue?.first
        #expect(first?["title"] == "démo ☃ 日本")
        #expect(first?["views"] == .int(4_294_967_296))
        #expect(first?["size"] == .int(9_007_199_254_740_993))
        #expect(first?["duration"] == .double(3605.25))
        #expect(first?["public"] == .bool(true))
        #expect(first?["expires_date"] == .null)
        // PHP turned the custom field key "2024" into an integer key; it reads back as the same name.
        #expect(first?["custom"]?.objectValue?.keys == ["ref", "2024", "rating"])
        let third = list["videos"]?.arrayValue?.last
        #expect(third?["duration"] == .double(1e25))
        #expect(third?["views"] == .int(-2_147_483_649))
        #expect(third?["custom"]?["nested"]?["empty"] == .array([]))
    }

    @Test("scalars")
    func scalars() throws {
        #expect(try php.decode(utf8("N;")) == .null)
        #expect(try php.decode(utf8("b:1;")) == .bool(true))
        #expect(try php.decode(utf8("b:0;")) == .bool(false))
        #expect(try php.decode(utf8("i:42;")) == .int(42))
        #expect(try php.decode(utf8("i:-7;")) == .int(-7))
        #expect(try php.decode(utf8("i:+7;")) == .int(7))
        #expect(try php.decode(utf8("i:9223372036854775807;")) == .int(.max))
        #expect(try php.decode(utf8("i:-9223372036854775808;")) == .int(.min))
        #expect(try php.decode(utf8("s:0:\"\";")) == .string(""))
        #expect(try php.decode(utf8("s:9:\"démo ☃\";")) == .string("démo ☃"))
        #expect(try php.decode(utf8("s:5:\"a\";b\"\";")) == .string("a\";b\""))
    }

    @Test("floats: decimals, exponents, INF, -INF, NAN")
    func floats() throws {
        #expect(try php.decode(utf8("d:1.5;")) == .double(1.5))
        #expect(try php.decode(utf8("d:0.1;")) == .double(0.1))
        #expect(try php.decode(utf8("d:2;")) == .double(2))
        #expect(try php.decode(utf8("d:-0;")) == .double(-0.0))
        #expect(try php.decode(utf8("d:1.0E+25;")) == .double(1e25))
        #expect(try php.decode(utf8("d:1.0E-7;")) == .double(1e-7))
        #expect(try php.decode(utf8("d:5.0E-324;")) == .double(.leastNonzeroMagnitude))
        #expect(try php.decode(utf8("d:.5;")) == .double(0.5))
        #expect(try php.decode(utf8("d:INF;")) == .double(.infinity))
        #expect(try php.decode(utf8("d:-INF;")) == .double(-.infinity))
        guard case .double(let nan) = try php.decode(utf8("d:NAN;")) else {
            Issue.record("NAN is not a double")
            return
        }
        #expect(nan.isNaN)
    }

    @Test("arrays: keys 0…n-1 in order make an array, any other keys an object with decimal names")
    func arrays() throws {
        #expect(try php.decode(utf8("a:0:{}")) == .array([]))
        #expect(try php.decode(utf8("a:2:{i:0;s:1:\"a\";i:1;s:1:\"b\";}")) == ["a", "b"])
        // PHP makes decimal string keys integers, so these are a list too.
        #expect(try php.decode(utf8("a:2:{s:1:\"0\";s:1:\"a\";s:1:\"1\";s:1:\"b\";}")) == ["a", "b"])
        #expect(
            try php.decode(utf8("a:2:{i:1;s:1:\"a\";i:0;s:1:\"b\";}"))
                == .object(APIObject([("1", "a"), ("0", "b")])))
        #expect(
            try php.decode(utf8("a:3:{i:0;N;s:3:\"key\";i:5;i:-4;b:1;}"))
                == .object(APIObject([("0", nil), ("key", 5), ("-4", true)])))
        // "01" and "-0" stay strings in PHP.
        #expect(
            try php.decode(utf8("a:1:{s:2:\"01\";N;}")) == .object(APIObject([("01", nil)])))
        // A repeated key keeps its place and takes the last value, as in PHP.
        #expect(try php.decode(utf8("a:2:{i:0;s:1:\"a\";s:1:\"0\";s:1:\"z\";}")) == ["z"])
        #expect(
            try php.decode(utf8("a:2:{s:1:\"k\";i:1;s:1:\"k\";i:2;}")) == .object(APIObject([("k", 2)])))
        #expect(
            try php.decode(utf8("a:1:{s:5:\"inner\";a:1:{i:0;a:0:{}}}"))
                == ["inner": [[]]])
    }

    @Test("normalized: empty objects become empty arrays, keys \"0\"…\"n-1\" in order make an array, at every level")
    func normalization() {
        let tree: APIValue = [
            "empty": [:],
            "listLike": .object(APIObject([("0", "a"), ("1", APIValue.object(APIObject()))])),
            "outOfOrder": .object(APIObject([("1", "a"), ("0", "b")])),
            "nested": [["deep": [:]]],
            "text": "x",
        ]
        let expected: APIValue = [
            "empty": [],
            "listLike": ["a", []],
            "outOfOrder": .object(APIObject([("1", "a"), ("0", "b")])),
            "nested": [["deep": []]],
            "text": "x",
        ]
        #expect(php.normalized(tree) == expected)
        #expect(php.normalized(.object(APIObject())) == .array([]))
    }

    // MARK: - Refusing

    static let hostileBodies: [HostilePHPBody] = [
        HostilePHPBody(name: "object O:", bytes: utf8("O:8:\"stdClass\":0:{}"), code: .forbidden, mentions: "O:"),
        HostilePHPBody(
            name: "object inside an array", bytes: utf8("a:1:{i:0;O:8:\"stdClass\":1:{s:1:\"a\";i:1;}}"),
            code: .forbidden, mentions: "O:"),
        HostilePHPBody(
            name: "custom object C:", bytes: utf8("C:11:\"ArrayObject\":21:{x:i:0;a:0:{};m:a:0:{}}"),
            code: .forbidden, mentions: "C:"),
        HostilePHPBody(name: "reference r:", bytes: utf8("r:1;"), code: .forbidden, mentions: "r:"),
        HostilePHPBody(name: "reference R:", bytes: utf8("R:1;"), code: .forbidden, mentions: "R:"),
        HostilePHPBody(
            name: "reference inside an array", bytes: utf8("a:2:{i:0;s:1:\"x\";i:1;r:2;}"), code: .forbidden,
            mentions: "r:"),
        HostilePHPBody(name: "enum E:", bytes: utf8("E:7:\"Foo:Bar\";"), code: .forbidden, mentions: "E:"),
        HostilePHPBody(name: "escaped string S:", bytes: utf8("S:1:\"\\61\";"), code: .forbidden, mentions: "S:"),
        HostilePHPBody(name: "unknown letter", bytes: utf8("x:1;"), code: .forbidden, mentions: "x"),
        HostilePHPBody(
            name: "nesting 10,000 deep",
            bytes: utf8(String(repeating: "a:1:{i:0;", count: 10_000) + "N;" + String(repeating: "}", count: 10_000)),
            code: .tooDeep, mentions: nil),
        HostilePHPBody(
            name: "nesting 10,000 deep, unterminated", bytes: utf8(String(repeating: "a:1:{i:0;", count: 10_000)),
            code: .tooDeep, mentions: nil),
        HostilePHPBody(
            name: "a 50 MB string claimed in 100 bytes",
            bytes: utf8("s:50000000:\"" + String(repeating: "A", count: 86) + "\";"), code: .tooLarge, mentions: nil),
        HostilePHPBody(
            name: "a 5 MB string claimed in 100 bytes",
            bytes: utf8("s:5000000:\"" + String(repeating: "A", count: 87) + "\";"), code: .truncated, mentions: nil),
        HostilePHPBody(
            name: "a string length beyond 64 bits", bytes: utf8("s:99999999999999999999999:\"\";"), code: .tooLarge,
            mentions: nil),
        HostilePHPBody(
            name: "50 million elements claimed", bytes: utf8("a:50000000:{i:0;N;}"), code: .tooLarge, mentions: nil),
        HostilePHPBody(
            name: "100,000 elements claimed in 20 bytes", bytes: utf8("a:100000:{i:0;N;}"), code: .truncated,
            mentions: nil),
        HostilePHPBody(
            name: "invalid UTF-8 in a string", bytes: utf8("a:1:{s:5:\"title\";s:2:\"") + [0xC3, 0x28] + utf8("\";}"),
            code: .invalidUTF8, mentions: nil),
        HostilePHPBody(
            name: "invalid UTF-8 in a key", bytes: utf8("a:1:{s:1:\"") + [0xFF] + utf8("\";N;}"), code: .invalidUTF8,
            mentions: nil),
        HostilePHPBody(
            name: "a UTF-8 surrogate", bytes: utf8("s:3:\"") + [0xED, 0xA0, 0x80] + utf8("\";"), code: .invalidUTF8,
            mentions: nil),
        HostilePHPBody(name: "trailing data", bytes: utf8("i:1;i:2;"), code: .trailingData, mentions: nil),
        HostilePHPBody(name: "trailing newline", bytes: utf8("N;\n"), code: .trailingData, mentions: nil),
        HostilePHPBody(
            name: "an integer beyond 64 bits", bytes: utf8("i:9223372036854775808;"), code: .unsupported,
            mentions: nil),
        HostilePHPBody(name: "empty body", bytes: [], code: .truncated, mentions: nil),
        HostilePHPBody(name: "b:2", bytes: utf8("b:2;"), code: .syntax, mentions: nil),
        HostilePHPBody(name: "i without digits", bytes: utf8("i:;"), code: .syntax, mentions: nil),
        HostilePHPBody(name: "d:1e", bytes: utf8("d:1e;"), code: .syntax, mentions: nil),
        HostilePHPBody(name: "JSON", bytes: utf8("{\"a\":1}"), code: .syntax, mentions: nil),
        HostilePHPBody(name: "a null key", bytes: utf8("a:1:{N;N;N;N;N;N;N;}"), code: .syntax, mentions: nil),
        HostilePHPBody(name: "string without its quote", bytes: utf8("s:1:\"ab\";"), code: .syntax, mentions: nil),
        HostilePHPBody(
            name: "array without its brace", bytes: utf8("a:1:{i:0;N;N;N;N;N;;"), code: .syntax, mentions: nil),
    ]

    @Test("a hostile body is refused quickly with the right code and an offset", arguments: hostileBodies)
    func refusesHostileBody(_ body: HostilePHPBody) {
        let start = ContinuousClock.now
        let error = decodingError { try php.decode(body.bytes) }
        let elapsed = ContinuousClock.now - start
        #expect(error?.code == body.code, "\(error.map(String.init(describing:)) ?? "no error")")
        #expect(error?.format == .php)
        #expect(error?.offset != nil)
        if let mentions = body.mentions {
            #expect(error?.message.contains(mentions) == true, "\(error?.message ?? "")")
        }
        #expect(elapsed < .seconds(2))
    }

    @Test("every prefix of a fixture is refused as truncated", arguments: fixtureNames)
    func refusesEveryPrefix(name: String) throws {
        let bytes = try fixtureBytes("formats/\(name).php.txt")
        for length in 0..<bytes.count {
            let error = decodingError { try php.decode(Array(bytes[..<length])) }
            #expect(error?.code == .truncated, "prefix of \(length) bytes: \(String(describing: error))")
        }
    }

    @Test("the limits given are enforced")
    func customLimits() throws {
        let body = try fixtureBytes("formats/list.php.txt")
        let small = DecodingLimits(maxBytes: 100, maxDepth: 128, maxValues: 2_000_000)
        #expect(decodingError { try PHPAnswerFormat(limits: small).decode(body) }?.code == .tooLarge)
        let shallow = DecodingLimits(maxBytes: 1 << 20, maxDepth: 3, maxValues: 2_000_000)
        #expect(decodingError { try PHPAnswerFormat(limits: shallow).decode(body) }?.code == .tooDeep)
        let few = DecodingLimits(maxBytes: 1 << 20, maxDepth: 128, maxValues: 50)
        #expect(decodingError { try PHPAnswerFormat(limits: few).decode(body) }?.code == .tooLarge)
        let exact = DecodingLimits(maxBytes: 1 << 20, maxDepth: 2, maxValues: 3)
        #expect(try PHPAnswerFormat(limits: exact).decode(utf8("a:1:{i:0;a:1:{i:0;N;}}")) == [[nil]])
        #expect(
            decodingError { try PHPAnswerFormat(limits: exact).decode(utf8("a:2:{i:0;N;i:1;a:1:{i:0;N;}}")) } != nil)
    }

    // MARK: - Writing

    static let edgeTree: APIValue = [
        "ints": [0, 1, -1, 255, 65_536, 2_147_483_648, -2_147_483_649, .int(.max), .int(.min)],
        "floats": [0.1, 1.5, 2.0, 1e25, 1e-7, .double(.leastNonzeroMagnitude), 1.7976931348623157e308, -3.75],
        "text": "démo ☃ 日本 🎬 \"quoted\" ; } back\\slash\nnew line",
        "emptyText": "",
        "emptyObject": [:],
        "emptyArray": [],
        "null": nil,
        "bools": [true, false],
        "decimalKeys": .object(APIObject([("10", "ten"), ("2", "two"), ("-3", "minus three"), ("007", "bond")])),
        "nested": [[[["deep": [1, [2, [3]]]]]]],
    ]

    @Test("the writer's exact bytes")
    func writerBytes() throws {
        #expect(try php.encode(nil) == utf8("N;"))
        #expect(try php.encode(true) == utf8("b:1;"))
        #expect(try php.encode(-42) == utf8("i:-42;"))
        #expect(try php.encode(1.5) == utf8("d:1.5;"))
        #expect(try php.encode(1e25) == utf8("d:1e+25;"))
        #expect(try php.encode(.double(.infinity)) == utf8("d:INF;"))
        #expect(try php.encode(.double(-.infinity)) == utf8("d:-INF;"))
        #expect(try php.encode(.double(.nan)) == utf8("d:NAN;"))
        #expect(try php.encode("☃") == utf8("s:3:\"☃\";"))
        #expect(try php.encode(["a", 1]) == utf8("a:2:{i:0;s:1:\"a\";i:1;i:1;}"))
        #expect(try php.encode(["k": nil]) == utf8("a:1:{s:1:\"k\";N;}"))
        #expect(try php.encode([:]) == utf8("a:0:{}"))
    }

    @Test("decode(encode(tree)) gives back normalized(tree)")
    func roundTrip() throws {
        var trees = [Self.edgeTree]
        for name in Self.fixtureNames + ["extras"] { trees.append(try Self.expectedTree(name)) }
        for tree in trees {
            #expect(try php.decode(php.encode(tree)) == php.normalized(tree))
        }
        let special = try php.decode(php.encode([.double(.infinity), .double(-.infinity), .double(.nan)])).arrayValue
        #expect(special?.count == 3)
        #expect(special?.first == .double(.infinity))
        #expect(special?.dropFirst().first == .double(-.infinity))
        if case .double(let nan) = special?.last { #expect(nan.isNaN) } else { Issue.record("no NAN") }
    }

    @Test("real PHP unserializes what the writer writes")
    func phpReadsTheWriter() async throws {
        guard let phpCLI = ChildProcess.which("php") else {
            Issue.record("php is not on the PATH; install php-cli")
            return
        }
        var trees = [Self.edgeTree]
        for name in Self.fixtureNames + ["extras"] { trees.append(try Self.expectedTree(name)) }
        let script = """
            $value = unserialize(stream_get_contents(STDIN), ['allowed_classes' => false]);
            if ($value === false) { fwrite(STDERR, 'unserialize failed'); exit(1); }
            echo json_encode($value, JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR);
            """
        for tree in trees {
            let result = try await ChildProcess.run(phpCLI, ["-r", script], input: try php.encode(tree))
            #expect(result.status == 0, "\(result.standardError)")
            let read = try JSONAnswerFormat().decode(Array(result.standardOutput.utf8))
            #expect(php.normalized(read) == php.normalized(tree))
        }
        let special = try await ChildProcess.run(
            phpCLI,
            [
                "-r",
                "$v = unserialize(stream_get_contents(STDIN)); "
                    + "echo json_encode([$v[0] === INF, $v[1] === -INF, is_nan($v[2])]);",
            ],
            input: try php.encode([.double(.infinity), .double(-.infinity), .double(.nan)]))
        #expect(special.standardOutput == "[true,true,true]", "\(special.standardError)")
    }
}
