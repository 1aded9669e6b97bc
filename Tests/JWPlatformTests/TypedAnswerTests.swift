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
