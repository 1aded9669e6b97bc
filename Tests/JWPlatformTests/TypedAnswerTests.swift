import Foundation
import Testing

@testable import JWPlatform

@Suite("typed answers read the shapes seen in the wild")
struct TypedAnswerTests {
    @Test("an upload answer with the documented video block, size as text")
    func uploadAnswerVideoBlock() throws {
        let tree: APIValue = [
            "status": "ok",
            "video": ["key": "tL17msiU", "md5": "6D4063F37EED1E847ED17B7BE6364546", "size": "21545452"],
            "redirect_link": ["address": "http://example.com/path/tL17msiU", "query": ["p1": "v1"]],
        ]
        let answer = try UploadAnswer(AnswerReader(call: "upload", value: tree))
        #expect(answer.key == "tL17msiU")
        #expect(answer.md5 == "6d4063f37eed1e847ed17b7be6364546")
        #expect(answer.size == 21_545_452)
        #expect(answer.redirectAddress == "http://example.com/path/tL17msiU")
    }

    @Test("an upload answer with the later file + media blocks, size as a number")
    func uploadAnswerFileBlock() throws {
        let tree: APIValue = [
            "status": "ok", "media": ["type": "video", "key": "k2"],
            "file": ["md5": "6d4063f37eed1e847ed17b7be6364546", "size": 21_545_452],
        ]
        let answer = try UploadAnswer(AnswerReader(call: "upload", value: tree))
        #expect(answer.key == "k2")
        #expect(answer.size == 21_545_452)
    }

    @Test("the sandbox's shape, both blocks at once, and the documented XML form")
    func uploadAnswerBothBlocksAndXML() throws {
        let both: APIValue = [
            "status": "ok", "media": ["type": "video", "key": "k3"],
            "file": ["md5": "6d4063f37eed1e847ed17b7be6364546", "size": 42],
            "video": ["key": "k3", "md5": "6d4063f37eed1e847ed17b7be6364546", "size": "42"],
        ]
        let answer = try UploadAnswer(AnswerReader(call: "upload", value: both))
        #expect(answer.key == "k3")
        #expect(answer.size == 42)
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <response><status>ok</status><video key="tL17msiU"><md5>6d4063f37eed1e847ed17b7be6364546</md5><size>21545452</size></video></response>
            """
        let fromXML = try UploadAnswer(AnswerReader(call: "upload", value: XMLAnswerFormat().decode(Array(xml.utf8))))
        #expect(fromXML == UploadAnswer(key: "tL17msiU", md5: "6d4063f37eed1e847ed17b7be6364546", size: 21_545_452))
    }

    /// The committed answers written by the real producers, read into typed answers: the JSON file, the
    /// PHP `serialize()` string and the protocol-2 and -5 pickles must give the same typed answer, and so
    /// must the JSON tree written and read back as XML.
    /// (The list fixture has a custom field named `2024`, which no XML element can carry: it is read in
    /// the other formats only.)
    static func fixtureTrees(_ name: String, throughXML: Bool = true) throws -> [(String, APIValue)] {
        let json = try JSONAnswerFormat().decode(fixtureBytes("formats/\(name).json"))
        var trees = [
            ("json", json),
            ("php", try PHPAnswerFormat().decode(fixtureBytes("formats/\(name).php.txt"))),
            ("p2", try PickleAnswerFormat().decode(fixtureBytes("formats/\(name).p2.pickle"))),
            ("p5", try PickleAnswerFormat().decode(fixtureBytes("formats/\(name).p5.pickle"))),
        ]
        if throughXML { trees.append(("xml", try XMLAnswerFormat().decode(XMLAnswerFormat().encode(json)))) }
        return trees
    }

    @Test("the committed fixtures read into the same typed answers in every format")
    func fixturesIntoTypedAnswers() throws {
        let creates = try Self.fixtureTrees("create").map {
            try CreateAnswer(AnswerReader(call: "create", value: $0.1))
        }
        // XML writes the link's `key` as an attribute, before `token`: compare the parts, not the order.
        let links = Set(creates.map { [$0.media?.key, $0.link?.key, $0.link?.token, $0.link?.address, $0.link?.path] })
        #expect(links.count == 1)
        #expect(Set(creates.map(\.rateLimit)).count == 1)
        #expect(creates.first?.link?.token == "2f5d1e6c0b9a4f3e8d7c6b5a49382716")
        #expect(creates.first?.media?.key == "tL17msiU")
        let uploads = try Self.fixtureTrees("upload").map {
            try UploadAnswer(AnswerReader(call: "upload", value: $0.1))
        }
        #expect(Set(uploads).count == 1)
        #expect((uploads.first?.size ?? 0) > 0)
        let lists = try Self.fixtureTrees("list", throughXML: false).map {
            try VideoListAnswer(AnswerReader(call: "list", value: $0.1))
        }
        #expect(Set(lists).count == 1)
        #expect((lists.first?.videos.count ?? 0) >= 2)
    }

    @Test("an upload answer without md5 is a shape error naming the field")
    func uploadAnswerMissingDigest() {
        let tree: APIValue = ["status": "ok", "file": ["size": 1]]
        #expect(throws: AnswerShapeError.self) { try UploadAnswer(AnswerReader(call: "upload", value: tree)) }
        do {
            _ = try UploadAnswer(AnswerReader(call: "upload", value: tree))
        } catch let error as AnswerShapeError {
            #expect(error.path == "file.md5")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("a size that is not a number is refused, not read as zero")
    func badSize() {
        let tree: APIValue = ["file": ["md5": "x", "size": "12abc"]]
        #expect(throws: AnswerShapeError.self) { try UploadAnswer(AnswerReader(call: "upload", value: tree)) }
    }

    @Test("a list answer of one video as XML gives it (a one-element list reads like a member)")
    func listOfOneFromXML() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <response><status>ok</status><videos><video key="a1"><status>ready</status><custom><ingest_id>i-1</ingest_id></custom></video></videos><total>1</total></response>
            """
        let tree = try XMLAnswerFormat().decode(Array(xml.utf8))
        let list = try VideoListAnswer(AnswerReader(call: "/videos/list", value: tree))
        #expect(list.total == 1)
        #expect(list.videos.map(\.key) == ["a1"])
        #expect(list.videos.first?.custom == ["ingest_id": "i-1"])
    }

    @Test("a list answer with an empty list in each format", arguments: [AnswerFormatName.json, .xml, .php, .py])
    func emptyList(format: AnswerFormatName) throws {
        let codec = try AnswerFormatRegistry.standard.format(named: format)
        let tree: APIValue = [
            "status": "ok", "videos": [], "total": 0, "rate_limit": ["limit": 30, "remaining": 29, "reset": 5],
        ]
        let list = try VideoListAnswer(AnswerReader(call: "/videos/list", value: try codec.decode(codec.encode(tree))))
        #expect(list.videos.isEmpty)
        #expect(list.total == 0)
        #expect(list.rateLimit == RateLimit(limit: 30, remaining: 29, reset: Date(timeIntervalSince1970: 5)))
    }

    @Test("numbers written as text are read as numbers; booleans in the forms the formats use")
    func scalarsAsText() {
        #expect(APIValue.string(" 42 ").integer == 42)
        #expect(APIValue.double(3).integer == 3)
        #expect(APIValue.double(3.5).integer == nil)
        #expect(APIValue.string("True").boolean == true)
        #expect(APIValue.int(0).boolean == false)
    }
}
