import Testing

@testable import JWPlatform

@Suite("JSON answer format")
struct JSONAnswerFormatTests {
    let format = JSONAnswerFormat()

    private func decode(_ text: String) throws -> APIValue {
        try format.decode(Array(text.utf8))
    }

    private func encodedText(_ value: APIValue) throws -> String {
        String(decoding: try format.encode(value), as: UTF8.self)
    }

    /// Expects `bytes` to be refused with `code`.
    private func expectRefusal(
        _ bytes: [UInt8], _ code: AnswerDecodingError.Code, limits: DecodingLimits = .standard,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        JWPlatformTests.expectRefusal(
            by: JSONAnswerFormat(limits: limits), of: bytes, code, sourceLocation: sourceLocation)
    }

    private func expectRefusal(
        _ text: String, _ code: AnswerDecodingError.Code, limits: DecodingLimits = .standard,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectRefusal(Array(text.utf8), code, limits: limits, sourceLocation: sourceLocation)
    }

    // MARK: - Answers from API.md

    static let createAnswer = #"""
        {"status":"ok","media":{"type":"video","key":"tL17msiU"},
         "link":{"protocol":"http","address":"upload.jwplatform.com","path":"/v1/videos/upload",
                 "query":{"key":"vtQmcboj","token":"e2bbad0f"}},
         "rate_limit":{"limit":60,"remaining":59,"reset":1237387911}}
        """#

    @Test func createAnswerWithLinkBlock() throws {
        let value = try decode(Self.createAnswer)
        let expected: APIValue = [
            "status": "ok",
            "media": ["type": "video", "key": "tL17msiU"],
            "link": [
                "protocol": "http", "address": "upload.jwplatform.com", "path": "/v1/videos/upload",
                "query": ["key": "vtQmcboj", "token": "e2bbad0f"],
            ],
            "rate_limit": ["limit": 60, "remaining": 59, "reset": 1_237_387_911],
        ]
        #expect(value == expected)
        #expect(value.objectValue?.keys == ["status", "media", "link", "rate_limit"])
        #expect(value["link"]?["query"]?.objectValue?.keys == ["key", "token"])
    }

    @Test func uploadAnswer() throws {
        let value = try decode(
            #"""
            { "status": "ok",
              "media": { "type": "video", "key": "tL17msiU" },
              "file":  { "md5": "6d4063f3", "size": 21545452 },
              "video": { "key": "tL17msiU", "md5": "6d4063f3", "size": "21545452" },
              "redirect_link": { "address": "http://example.com/path/tL17msiU", "query": { "p1": "v1" } } }
            """#)
        #expect(value["file"]?["size"] == .int(21_545_452))
        #expect(value["video"]?["size"] == .string("21545452"))
        #expect(value["video"]?["size"]?.integer == 21_545_452)
        #expect(value["redirect_link"]?["query"]?["p1"] == "v1")
    }

    @Test func listAnswer() throws {
        let value = try decode(
            #"{"status":"ok","videos":[{"key":"a","title":"A"},{"key":"b","title":"B"}],"total":2,"one":[{"key":"c"}]}"#
        )
        #expect(value["videos"] == [["key": "a", "title": "A"], ["key": "b", "title": "B"]])
        #expect(value["one"] == [["key": "c"]])
        #expect(value["total"] == 2)
    }

    // MARK: - Strings

    @Test func escapes() throws {
        #expect(try decode(#""\"\\\/\b\f\n\r\t\u00e9\u00E9\u0000""#) == .string("\"\\/\u{8}\u{C}\n\r\téé\u{0}"))
        #expect(try decode("\"é 😀 \u{2028}\"") == .string("é 😀 \u{2028}"))
    }

    @Test func surrogatePairs() throws {
        #expect(try decode(#""\uD83D\uDE00""#) == .string("😀"))
        #expect(try decode(#""a\ud83d\ude00b""#) == .string("a😀b"))
        #expect(try decode(#""\uDBFF\uDFFF""#) == .string("\u{10FFFF}"))
    }

    @Test(arguments: [
        #""\uD83D""#, #""\uD83Dx""#, #""\uD83D\n""#, #""\uD83D\u0041""#, #""\uDE00""#, #""\uDE00\uD83D""#,
    ])
    func loneSurrogatesAreRefused(text: String) {
        expectRefusal(text, .syntax)
    }

    @Test func rawControlCharactersAreRefused() {
        expectRefusal("\"a\u{1}b\"", .syntax)
        expectRefusal("\"a\nb\"", .syntax)
        expectRefusal("\"a\tb\"", .syntax)
    }

    @Test func badEscapesAreRefused() {
        expectRefusal(#""\x41""#, .syntax)
        expectRefusal(#""\u12G4""#, .syntax)
        expectRefusal(#""\'""#, .syntax)
    }

    @Test func invalidUTF8IsRefused() {
        expectRefusal([0x22, 0x61, 0xFF, 0x62, 0x22], .invalidUTF8)
        // An overlong encoding of "/".
        expectRefusal([0x22, 0xC0, 0xAF, 0x22], .invalidUTF8)
        // A surrogate encoded in UTF-8.
        expectRefusal([0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8)
        // Above U+10FFFF.
        expectRefusal([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .invalidUTF8)
        // A continuation byte without a lead, outside a string.
        expectRefusal([0x5B, 0x80, 0x5D], .invalidUTF8)
        // A lead byte followed by ASCII.
        expectRefusal([0x22, 0xE2, 0x41, 0x41, 0x22], .invalidUTF8)
    }

    // MARK: - Numbers

    @Test func integersAtTheInt64Bounds() throws {
        #expect(try decode("9223372036854775807") == .int(Int64.max))
        #expect(try decode("-9223372036854775808") == .int(Int64.min))
        #expect(try decode("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try decode("-9223372036854775809") == .double(-9_223_372_036_854_775_808))
        #expect(try decode("0") == .int(0))
        #expect(try decode("-0") == .int(0))
        #expect(try decode("[1,-1]") == [1, -1])
    }

    @Test func fractionsAndExponentsAreDoubles() throws {
        #expect(try decode("1.0") == .double(1))
        #expect(try decode("1.5") == .double(1.5))
        #expect(try decode("-0.25") == .double(-0.25))
        #expect(try decode("1e2") == .double(100))
        #expect(try decode("1E+2") == .double(100))
        #expect(try decode("25e-1") == .double(2.5))
        #expect(try decode("1e-400") == .double(0))
        #expect(try decode("1.7976931348623157e308") == .double(.greatestFiniteMagnitude))
    }

    @Test func numbersBeyondDoubleAreRefused() {
        expectRefusal("1e400", .unsupported)
        expectRefusal("-1e400", .unsupported)
    }

    @Test func malformedNumbers() {
        expectRefusal("01", .trailingData)
        expectRefusal("[01]", .syntax)
        expectRefusal("+1", .syntax)
        expectRefusal(".5", .syntax)
        expectRefusal("1.x", .syntax)
        expectRefusal("[1.]", .syntax)
        expectRefusal("[1e]", .syntax)
        expectRefusal("-", .truncated)
        expectRefusal("1.", .truncated)
        expectRefusal("1e+", .truncated)
        expectRefusal("NaN", .syntax)
        expectRefusal("Infinity", .syntax)
    }

    // MARK: - Structure

    @Test func whitespaceAndByteOrderMark() throws {
        #expect(try decode(" \t\r\n[ 1 , 2 ]\n ") == [1, 2])
        #expect(try format.decode([0xEF, 0xBB, 0xBF] + Array(#"{"a":null}"#.utf8)) == ["a": nil])
        #expect(try decode("true") == true)
        #expect(try decode("null") == .null)
        #expect(try decode("{}") == .object(APIObject()))
        #expect(try decode("[]") == [])
    }

    @Test func duplicateKeysKeepTheFirstPositionAndTheLastValue() throws {
        let value = try decode(#"{"a":1,"b":2,"a":3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"] == 3)
    }

    @Test func emptyBodyIsTruncated() {
        expectRefusal([], .truncated)
        expectRefusal("  \n", .truncated)
        expectRefusal([0xEF, 0xBB, 0xBF], .truncated)
    }

    @Test func trailingData() {
        expectRefusal("{} x", .trailingData)
        expectRefusal("[1] [2]", .trailingData)
        expectRefusal("{}}", .trailingData)
        expectRefusal("1 2", .trailingData)
    }

    @Test func syntaxErrors() {
        expectRefusal("[1,]", .syntax)
        expectRefusal("[1 2]", .syntax)
        expectRefusal("{'a':1}", .syntax)
        expectRefusal(#"{"a" 1}"#, .syntax)
        expectRefusal(#"{"a":1,}"#, .syntax)
        expectRefusal("{a:1}", .syntax)
        expectRefusal("tru", .truncated)
        expectRefusal("trUe", .syntax)
        expectRefusal("<html>", .syntax)
    }

    @Test func everyPrefixOfAnAnswerIsTruncated() {
        let bodies = [
            Self.createAnswer,
            #"{"s":"é😀\u00e9\uD83D\uDE00\n","n":[-1.5e3,0,true,false,null,{},[]]}"#,
        ]
        for body in bodies.map({ Array($0.utf8) }) {
            for length in 0..<body.count {
                expectRefusal(Array(body[..<length]), .truncated)
            }
            #expect(throws: Never.self) { try format.decode(body) }
        }
    }

    // MARK: - Limits

    @Test func nestingTenThousandDeepIsTooDeep() {
        expectRefusal(String(repeating: "[", count: 10_000), .tooDeep)
        expectRefusal(String(repeating: #"{"a":"#, count: 10_000), .tooDeep)
        expectRefusal(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000), .tooDeep)
    }

    @Test func depthLimitIsExact() throws {
        let limits = DecodingLimits(maxDepth: 5)
        let five = String(repeating: "[", count: 5) + String(repeating: "]", count: 5)
        #expect(try JSONAnswerFormat(limits: limits).decode(Array(five.utf8)) == [[[[[]]]]])
        expectRefusal("[" + five + "]", .tooDeep, limits: limits)
        expectRefusal(#"{"a":{"b":{"c":{"d":{"e":{}}}}}}"#, .tooDeep, limits: limits)
    }

    @Test func valueCountLimit() throws {
        let limits = DecodingLimits(maxValues: 4)
        #expect(try JSONAnswerFormat(limits: limits).decode(Array("[1,2,3]".utf8)) == [1, 2, 3])
        expectRefusal("[1,2,3,4]", .tooLarge, limits: limits)
        expectRefusal(#"{"a":[{},{}],"b":1}"#, .tooLarge, limits: limits)
    }

    @Test func bodyOverMaxBytesIsTooLarge() {
        let body = [UInt8](repeating: 0x20, count: 50 << 20)
        let start = ContinuousClock.now
        expectRefusal(body, .tooLarge, limits: DecodingLimits(maxBytes: 1 << 20))
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    // MARK: - Writing

    @Test func writesCompactJSONInOrder() throws {
        let value: APIValue = [
            "status": "ok", "video": ["key": "tL17msiU", "size": 21_545_452, "ready": true, "note": nil],
            "list": [1, 2.5, "x"], "empty": [:], "none": [],
        ]
        #expect(
            try encodedText(value)
                == #"{"status":"ok","video":{"key":"tL17msiU","size":21545452,"ready":true,"note":null},"list":[1,2.5,"x"],"empty":{},"none":[]}"#
        )
    }

    @Test func writesEscapes() throws {
        #expect(try encodedText("a\"b\\c/d") == #""a\"b\\c/d""#)
        #expect(try encodedText("\u{0}\u{1}\n\r\t\u{1F}") == #""\u0000\u0001\u000a\u000d\u0009\u001f""#)
        #expect(try encodedText("é😀\u{7F}\u{2028}") == "\"é😀\u{7F}\u{2028}\"")
        #expect(try encodedText(["a\"b": 1]) == #"{"a\"b":1}"#)
    }

    @Test func writesNumbers() throws {
        #expect(try encodedText(.int(Int64.min)) == "-9223372036854775808")
        #expect(try encodedText(.int(Int64.max)) == "9223372036854775807")
        #expect(try encodedText(1.0) == "1.0")
        #expect(try encodedText(0.1) == "0.1")
        #expect(try encodedText(1e25) == "1e+25")
        #expect(try encodedText(-0.0) == "-0.0")
    }

    @Test func nonFiniteDoublesAreRefused() {
        let error = #expect(throws: AnswerEncodingError.self) {
            try format.encode(["a": ["b": [1, .double(.nan)]]])
        }
        #expect(error?.path == "a.b.1")
        #expect(error?.format == .json)
        #expect(throws: AnswerEncodingError.self) { try format.encode(.double(.infinity)) }
        #expect(throws: AnswerEncodingError.self) { try format.encode([.double(-.infinity)]) }
    }

    @Test(arguments: jsonRoundTripValues)
    func roundTrip(value: APIValue) throws {
        #expect(try format.decode(try format.encode(value)) == value)
        #expect(format.normalized(value) == value)
    }

    @Test func nameIsJSON() {
        #expect(format.name == .json)
    }
}

/// Trees that a JSON round trip must give back unchanged.
private let jsonRoundTripValues: [APIValue] = [
    .null, true, false, 0, .int(Int64.max), .int(Int64.min), 1.5, -0.0, 1e25, 0.1, 100.0,
    .double(.leastNonzeroMagnitude), .double(.greatestFiniteMagnitude), .double(9_007_199_254_740_992),
    "", "é😀", "\u{0}\u{1F}\"\\/", "line\r\nnext\ttab\u{2028}",
    [], [:], [[], [[]], [:]],
    ["status": "ok", "z": 1, "a": [1, 2.5, nil, ["k": "v"]], "": "empty name", "😀": "emoji"],
]
