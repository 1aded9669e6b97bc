import Testing

@testable import JWPlatform

@Suite("XML answer format")
struct XMLAnswerFormatTests {
    let format = XMLAnswerFormat()

    private func decode(_ text: String) throws -> APIValue {
        try format.decode(Array(text.utf8))
    }

    private func encodedText(_ value: APIValue) throws -> String {
        String(decoding: try format.encode(value), as: UTF8.self)
    }

    /// Expects `bytes` to be refused with `code`, and returns the error.
    @discardableResult
    private func expectRefusal(
        _ bytes: [UInt8], _ code: AnswerDecodingError.Code, limits: DecodingLimits = .standard,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> AnswerDecodingError? {
        return JWPlatformTests.expectRefusal(
            by: XMLAnswerFormat(limits: limits), of: bytes, code, sourceLocation: sourceLocation)
    }

    @discardableResult
    private func expectRefusal(
        _ text: String, _ code: AnswerDecodingError.Code, limits: DecodingLimits = .standard,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> AnswerDecodingError? {
        expectRefusal(Array(text.utf8), code, limits: limits, sourceLocation: sourceLocation)
    }

    // MARK: - Answers from API.md

    static let createAnswer = """
        <?xml version="1.0" encoding="UTF-8"?>
        <response>
          <status>ok</status>
          <media>
            <type>video</type>
            <key>tL17msiU</key>
          </media>
          <link>
            <protocol>http</protocol>
            <address>upload.jwplatform.com</address>
            <path>/v1/videos/upload</path>
            <query>
              <key>vtQmcboj</key>
              <token>e2bbad0f&amp;x</token>
            </query>
          </link>
          <rate_limit limit="60" remaining="59" reset="1237387911"/>
        </response>
        """

    @Test func createAnswerWithLinkBlock() throws {
        let value = try decode(Self.createAnswer)
        let expected: APIValue = [
            "status": "ok",
            "media": ["type": "video", "key": "tL17msiU"],
            "link": [
                "protocol": "http", "address": "upload.jwplatform.com", "path": "/v1/videos/upload",
                "query": ["key": "vtQmcboj", "token": "e2bbad0f&x"],
            ],
            "rate_limit": ["limit": "60", "remaining": "59", "reset": "1237387911"],
        ]
        #expect(value == expected)
        #expect(value["rate_limit"]?["reset"]?.integer == 1_237_387_911)
    }

    @Test func uploadAnswer() throws {
        let value = try decode(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <response><status>ok</status><video key="tL17msiU"><md5>6d4063f3</md5><size>21545452</size></video></response>
            """)
        #expect(value == ["status": "ok", "video": ["key": "tL17msiU", "md5": "6d4063f3", "size": "21545452"]])
        #expect(value["video"]?["size"]?.integer == 21_545_452)
    }

    @Test func listAnswer() throws {
        let value = try decode(
            """
            <response>
              <status>ok</status>
              <videos total="2">
                <video key="a"><title>A</title></video>
                <video key="b"><title>B</title></video>
              </videos>
              <total>2</total>
            </response>
            """)
        #expect(
            value == [
                "status": "ok", "videos": [["key": "a", "title": "A"], ["key": "b", "title": "B"]], "total": "2",
            ])
    }

    @Test func oneElementList() throws {
        #expect(
            try decode(#"<response><videos total="1"><video key="a"/></videos></response>"#)
                == ["videos": [["key": "a"]]])
        // Without `total`, a single child reads as a plain member.
        #expect(
            try decode(#"<response><videos><video key="a"/></videos></response>"#)
                == ["videos": ["video": ["key": "a"]]])
        #expect(try decode(#"<response><videos total="0"/></response>"#) == ["videos": []])
    }

    // MARK: - Mapping

    @Test func repeatedElementsBecomeArrays() throws {
        let value = try decode("<response><tags><tag>a</tag><other>x</other><tag>b</tag><tag>c</tag></tags></response>")
        #expect(value == ["tags": ["tag": ["a", "b", "c"], "other": "x"]])
    }

    @Test func listChildrenMayHaveAnyName() throws {
        let value = try decode(#"<response><items total="3"><a>1</a><b k="2"/><a/></items></response>"#)
        #expect(value == ["items": ["1", ["k": "2"], ""]])
    }

    @Test func textAndEmptyElements() throws {
        let value = try decode(
            "<response><empty/><also></also><blank>  </blank><text> a &amp; b &lt;c&gt; &#233;&#x1F600; </text></response>"
        )
        #expect(value == ["empty": "", "also": "", "blank": "  ", "text": " a & b <c> é😀 "])
    }

    @Test func attributesWithText() throws {
        let value = try decode(#"<response><title lang="en">Démo</title><t a="1">  </t></response>"#)
        #expect(value == ["title": ["lang": "en", "#text": "Démo"], "t": ["a": "1"]])
    }

    @Test func cdataCommentsAndProcessingInstructions() throws {
        let value = try decode(
            "<response><a><![CDATA[<b>&x]]></a><!-- note --><?pi data?><c>1<!-- x -->2</c></response>")
        #expect(value == ["a": "<b>&x", "c": "12"])
    }

    @Test func encodingDeclarationIsIgnoredAndByteOrderMarkAccepted() throws {
        #expect(
            try decode(#"<?xml version="1.0" encoding="ISO-8859-1"?><response><a>é</a></response>"#) == ["a": "é"])
        #expect(try format.decode([0xEF, 0xBB, 0xBF] + Array("<response><a>1</a></response>".utf8)) == ["a": "1"])
    }

    @Test func namespacesAreReadAsWritten() throws {
        let value = try decode(#"<response xmlns="urn:a" xmlns:p="urn:p"><p:a p:b="1"/><c>2</c></response>"#)
        #expect(value == ["p:a": ["p:b": "1"], "c": "2"])
    }

    @Test func rootMustBeResponse() {
        expectRefusal("<answer><status>ok</status></answer>", .syntax)
        expectRefusal(#"<x:response xmlns:x="urn:x"/>"#, .syntax)
    }

    // MARK: - Hostile bodies

    @Test(arguments: documentTypeBodies)
    func documentTypeDeclarationsAreRefusedAtOnce(body: String) {
        let start = ContinuousClock.now
        let error = expectRefusal(body, .forbidden)
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(error?.message.contains("DTDs and entities are refused") == true)
    }

    @Test func undeclaredEntitiesAreRefused() {
        expectRefusal("<response><a>&x;</a></response>", .syntax)
    }

    @Test func nestingTenThousandDeepIsTooDeep() {
        let body =
            "<response>" + String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
            + "</response>"
        expectRefusal(body, .tooDeep)
        // libxml2 keeps its own limit of 256 levels even when ours is higher.
        expectRefusal(body, .tooDeep, limits: DecodingLimits(maxDepth: 100_000))
    }

    @Test func depthLimitCountsContainers() throws {
        let limits = DecodingLimits(maxDepth: 3)
        // <response> and two <a> are containers; the innermost <a> holds text, a scalar.
        let three = "<response><a><a><a>x</a></a></a></response>"
        #expect(try XMLAnswerFormat(limits: limits).decode(Array(three.utf8)) == ["a": ["a": ["a": "x"]]])
        expectRefusal("<response><a><a><a><a>x</a></a></a></a></response>", .tooDeep, limits: limits)
        expectRefusal(#"<response><a><a><a k="1"/></a></a></response>"#, .tooDeep, limits: limits)
    }

    @Test func invalidUTF8IsRefused() {
        let open = Array("<response><a>".utf8)
        let close = Array("</a></response>".utf8)
        expectRefusal(open + [0xFF] + close, .invalidUTF8)
        // An overlong encoding of "/".
        expectRefusal(open + [0xC0, 0xAF] + close, .invalidUTF8)
        // A surrogate encoded in UTF-8.
        expectRefusal(open + [0xED, 0xA0, 0x80] + close, .invalidUTF8)
        // In an attribute.
        expectRefusal(Array(#"<response a=""#.utf8) + [0xC3, 0x28] + Array(#""/>"#.utf8), .invalidUTF8)
    }

    @Test func otherEncodingsAreRefused() {
        // UTF-16 holds NUL bytes, which UTF-8 XML cannot carry.
        let utf16 = Array("<?xml version=\"1.0\" encoding=\"UTF-16\"?><response/>".utf16).flatMap {
            [UInt8($0 & 0xFF), UInt8($0 >> 8)]
        }
        expectRefusal(utf16, .syntax)
        expectRefusal([0xFF, 0xFE] + utf16, .invalidUTF8)
        expectRefusal(Array("<response><a>".utf8) + [0] + Array("</a></response>".utf8), .syntax)
    }

    @Test func emptyBodyIsTruncated() {
        expectRefusal([], .truncated)
        expectRefusal(" \n\t", .truncated)
        expectRefusal(#"<?xml version="1.0"?>"#, .truncated)
    }

    @Test func truncatedBodies() {
        expectRefusal("<response><status>o", .truncated)
        expectRefusal("<response><status>ok</status>", .truncated)
        expectRefusal(#"<response><video key="tL1"#, .truncated)
        expectRefusal("<?xml version=", .truncated)
        expectRefusal("<!-- comment", .truncated)
        expectRefusal(Array("<response><a>".utf8) + [0xC3], .truncated)
    }

    @Test func everyPrefixOfAnAnswerThrows() {
        let body = Array(Self.createAnswer.utf8)
        var truncated = 0
        for length in 0..<body.count {
            let error = #expect(throws: AnswerDecodingError.self) { try format.decode(Array(body[..<length])) }
            if error?.code == .truncated { truncated += 1 }
            #expect(error?.code == .truncated || error?.code == .syntax)
        }
        // libxml2 cannot always tell a cut body from a wrong one, but nearly always can.
        #expect(truncated * 10 >= body.count * 9)
        #expect(throws: Never.self) { try format.decode(body) }
    }

    @Test func trailingData() {
        expectRefusal("<response/><response/>", .trailingData)
        expectRefusal("<response/>text", .trailingData)
    }

    @Test func syntaxErrors() {
        expectRefusal("<response><a>x</b></response>", .syntax)
        expectRefusal("hello", .syntax)
        expectRefusal("<response><a>\u{1}</a></response>", .syntax)
        expectRefusal(#"<response a="1" a="2"/>"#, .syntax)
    }

    @Test func bodyOverMaxBytesIsTooLarge() {
        let body = [UInt8](repeating: 0x20, count: 50 << 20)
        let start = ContinuousClock.now
        expectRefusal(body, .tooLarge, limits: DecodingLimits(maxBytes: 1 << 20))
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func valueCountLimit() throws {
        let limits = DecodingLimits(maxValues: 4)
        #expect(throws: Never.self) {
            try XMLAnswerFormat(limits: limits).decode(Array(#"<response><a k="1"/><b/></response>"#.utf8))
        }
        expectRefusal(#"<response><a k="1"/><b/><c/></response>"#, .tooLarge, limits: limits)
    }

    @Test func distinctNameLimit() {
        var body = "<response>"
        for index in 0...XMLParseMonitor.maxDistinctNames { body += "<n\(index)/>" }
        body += "</response>"
        expectRefusal(body, .tooLarge)
    }

    // MARK: - Writing

    @Test func writesTheAPIShape() throws {
        let value: APIValue = [
            "status": "ok",
            "video": ["md5": "6d4063f3", "key": "tL17msiU", "size": 21_545_452],
            "videos": [["key": "a", "title": "A"], ["key": "b"]],
            "tags": [],
            "custom": [:],
            "note": nil,
            "ready": true,
            "ratio": 1.5,
        ]
        let expected = """
            <?xml version="1.0" encoding="UTF-8"?>
            <response><status>ok</status><video key="tL17msiU"><md5>6d4063f3</md5><size>21545452</size></video>\
            <videos total="2"><video key="a"><title>A</title></video><video key="b"/></videos><tags total="0"/>\
            <custom/><note/><ready>true</ready><ratio>1.5</ratio></response>
            """
        #expect(try encodedText(value) == expected)
    }

    @Test func elementNamesOfArrays() throws {
        #expect(XMLWriter.singular(of: "videos") == "video")
        #expect(XMLWriter.singular(of: "s") == "item")
        #expect(XMLWriter.singular(of: "data") == "item")
        #expect(
            try encodedText(["data": [[1, 2]]]).hasSuffix(
                #"<response><data total="1"><item total="2"><item>1</item><item>2</item></item></data></response>"#))
    }

    @Test func writesEscapes() throws {
        let text = try encodedText(["key": "a\"<&>\t\n\r", "text": "a\"<&>\t\n\r]]>"])
        #expect(
            text.hasSuffix(
                "<response key=\"a&quot;&lt;&amp;&gt;&#9;&#10;&#13;\"><text>a&quot;&lt;&amp;&gt;\t\n&#13;]]&gt;</text></response>"
            ))
    }

    @Test func keyThatIsNotAScalarIsAnElement() throws {
        #expect(try encodedText(["key": ["a": 1]]).hasSuffix("<response><key><a>1</a></key></response>"))
    }

    @Test(arguments: ["a b", "1a", "a:b", "", "-a", "#text", "a\u{0}"])
    func invalidNamesAreRefused(name: String) {
        let error = #expect(throws: AnswerEncodingError.self) { try format.encode(["list": [[name: 1]]]) }
        #expect(error?.path == "list.0.\(name)")
        #expect(error?.format == .xml)
    }

    @Test(arguments: ["\u{0}", "\u{1}", "\u{1F}", "\u{FFFE}", "\u{FFFF}", "ok\u{B}"])
    func charactersXMLCannotCarryAreRefused(text: String) {
        let error = #expect(throws: AnswerEncodingError.self) { try format.encode(["a": ["b": .string(text)]]) }
        #expect(error?.path == "a.b")
        #expect(throws: AnswerEncodingError.self) { try format.encode(["key": .string(text)]) }
    }

    @Test func rootMustBeAnObject() {
        #expect(throws: AnswerEncodingError.self) { try format.encode([1, 2]) }
        #expect(throws: AnswerEncodingError.self) { try format.encode("text") }
        #expect(throws: AnswerEncodingError.self) { try format.encode(nil) }
    }

    @Test func textsLibxml2CannotReadAreRefused() {
        let long = String(repeating: "<", count: 2_500_000)
        #expect(throws: AnswerEncodingError.self) { try format.encode(["a": .string(long)]) }
    }

    // MARK: - Normalization and round trips

    @Test func normalization() {
        let value: APIValue = [
            "b": 1, "key": 2, "c": [true, nil, 2.5, [:], [.int(Int64.min)]], "d": [:], "e": ["x": nil],
        ]
        let expected: APIValue = [
            "key": "2", "b": "1", "c": ["true", "", "2.5", "", ["-9223372036854775808"]], "d": "", "e": ["x": ""],
        ]
        #expect(format.normalized(value) == expected)
        #expect(format.normalized([:]) == "")
        #expect(format.normalized(["key": [1]]) == ["key": ["1"]])
    }

    @Test(arguments: xmlRoundTripValues)
    func roundTrip(value: APIValue) throws {
        #expect(try format.decode(try format.encode(value)) == format.normalized(value))
    }

    @Test func nameIsXML() {
        #expect(format.name == .xml)
    }
}

/// Trees whose XML round trip must equal their normalization.
private let xmlRoundTripValues: [APIValue] = [
    [:],
    ["key": "k"],
    ["key": nil, "status": "ok"],
    ["status": "ok", "key": 1, "rate_limit": ["limit": 60, "reset": 1_237_387_911]],
    ["videos": [], "tags": [[]], "items": [[:], nil, "", " ", [["key": "x"]]]],
    ["videos": [["title": "A", "key": "a"], ["key": "b", "custom": ["k": [1, 2]]]], "total": 2],
    ["text": "a & b < c > d \"e\" 'f' ]]> \t tab \n lf \r cr \r\n crlf  ", "key": "\t\n\r \"<&>"],
    ["unicode": "é😀\u{7F}\u{85}\u{2028}\u{FFFD}\u{10FFFF}", "numbers": [0, -1, .int(Int64.max), 1e25, 0.1, -0.0]],
    ["bools": [true, false], "nulls": [nil, nil], "nested": ["a": ["b": ["c": ["d": "deep"]]]]],
    ["total": "not a list", "x": ["total": 5]],
    ["s": [1], "data": [[1, [2]]], "_": "underscore", "é": "accent", "a.b-c": "dots"],
]

// MARK: - Bodies with a document type declaration

/// An external entity that would read a local file.
private let xxe = """
    <?xml version="1.0" encoding="UTF-8"?>
    <!DOCTYPE response [<!ENTITY x SYSTEM "file:///etc/passwd">]>
    <response><status>&x;</status></response>
    """

/// A parameter entity that would fetch an external DTD.
private let parameterEntity = """
    <?xml version="1.0"?>
    <!DOCTYPE response [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
    <response/>
    """

/// Ten levels of ten entity references: 10^10 expansions.
private let billionLaughs: String = {
    var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 \"lol\">\n"
    for level in 1...10 {
        text += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
    }
    return text + "]>\n<response><status>&lol10;</status></response>"
}()

/// A DOCTYPE with only an internal subset, after a comment and a processing instruction.
private let internalSubsetOnly = "<!-- a comment --><?pi x?>\n<!DOCTYPE response [<!ELEMENT response ANY>]><response/>"

/// A reference to an external DTD.
private let externalDTD = #"<!DOCTYPE response SYSTEM "http://example.com/response.dtd"><response/>"#

/// Every body above; each must be refused before libxml2 reads the declaration.
private let documentTypeBodies = [xxe, parameterEntity, billionLaughs, internalSubsetOnly, externalDTD]
