import Foundation
import Testing

@testable import JWSandbox

// MARK: - Support

/// One part as the scanner reported it: its headers and its body slices joined.
private struct ReadPart: Equatable, CustomStringConvertible {
    var headers: MultipartPartHeaders
    var body: [UInt8]

    /// Short, so that a failed comparison stays readable: the name and the body's size and checksum.
    var description: String {
        let sum = body.enumerated().reduce(0) { ($0 &* 31 &+ Int($1.element)) & 0xFFFF_FFFF }
        return "\(headers.name) \(headers.filename.map { "(\($0)) " } ?? "")\(body.count) bytes #\(sum)"
    }
}

/// Feeds `body` to a scanner in chunks that end at `splits` (ascending offsets), checks the order of the
/// events, calls `finish()`, and returns the parts.
private func readParts(
    _ body: [UInt8],
    boundary: MultipartBoundary,
    splits: [Int] = [],
    headerBlockLimit: Int = MultipartScanner.defaultHeaderBlockLimit
) throws -> [ReadPart] {
    var ends = splits.filter { $0 > 0 && $0 < body.count }
    ends.append(body.count)
    var chunks: [ArraySlice<UInt8>] = []
    var start = 0
    for end in ends where end >= start {
        chunks.append(body[start..<end])
        start = end
    }
    return try readParts(chunks: chunks, boundary: boundary, headerBlockLimit: headerBlockLimit)
}

private func readParts(
    chunks: [ArraySlice<UInt8>],
    boundary: MultipartBoundary,
    headerBlockLimit: Int = MultipartScanner.defaultHeaderBlockLimit
) throws -> [ReadPart] {
    var scanner = MultipartScanner(boundary: boundary, headerBlockLimit: headerBlockLimit)
    var parts: [ReadPart] = []
    var inPart = false
    var finished = false
    for chunk in chunks {
        try scanner.feed(Array(chunk)) { event in
            #expect(!finished, "an event after .finished")
            switch event {
            case .partBegan(let headers):
                #expect(!inPart, "a part began inside a part")
                inPart = true
                parts.append(ReadPart(headers: headers, body: []))
            case .bodyBytes(let bytes):
                #expect(inPart, "body bytes outside a part")
                #expect(bytes.count > 0, "an empty body slice")
                if inPart { parts[parts.count - 1].body.append(contentsOf: bytes) }
            case .partEnded:
                #expect(inPart, "a part ended outside a part")
                inPart = false
            case .finished:
                #expect(!inPart, "finished inside a part")
                finished = true
            }
        }
    }
    try scanner.finish()
    #expect(finished)
    #expect(scanner.isFinished)
    return parts
}

/// A `multipart/form-data` body built as RFC 7578 describes: each part is its header lines and its body.
private func formData(
    boundary: String,
    parts: [(headers: [String], body: [UInt8])],
    preamble: String = "",
    padding: String = "",
    epilogue: String = "\r\n"
) -> [UInt8] {
    var body = Array(preamble.utf8)
    for (index, part) in parts.enumerated() {
        body += Array(((index == 0 && preamble.isEmpty) ? "" : "\r\n").utf8)
        body += Array("--\(boundary)\(padding)\r\n".utf8)
        for header in part.headers { body += Array("\(header)\r\n".utf8) }
        body += Array("\r\n".utf8)
        body += part.body
    }
    body += Array("\r\n--\(boundary)--\(epilogue)".utf8)
    return body
}

private func field(_ name: String, _ value: String) -> (headers: [String], body: [UInt8]) {
    (["Content-Disposition: form-data; name=\"\(name)\""], Array(value.utf8))
}

private func filePart(_ bytes: [UInt8], filename: String = "clip.mp4") -> (headers: [String], body: [UInt8]) {
    (
        ["Content-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"", "Content-Type: video/mp4"],
        bytes
    )
}

/// A fixture made by `Fixtures/multipart/make-fixtures.py`: a body from a real producer and what it holds.
private struct Fixture: Decodable {
    struct Part: Decodable {
        var name: String
        var filename: String?
        var contentType: String?
        var body: String
    }

    var producer: String
    var contentType: String
    var parts: [Part]

    static let names = ["requests-fields-and-file", "requests-empty-file", "curl-form"]

    static func load(_ name: String) throws -> (fixture: Fixture, body: [UInt8]) {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/multipart")
        let manifest = try Data(contentsOf: folder.appendingPathComponent("\(name).json"))
        let body = try Data(contentsOf: folder.appendingPathComponent("\(name).body"))
        return (try JSONDecoder().decode(Fixture.self, from: manifest), Array(body))
    }

    func expectMatches(_ parts: [ReadPart]) {
        #expect(parts.count == self.parts.count, "\(producer)")
        for (read, expected) in zip(parts, self.parts) {
            #expect(read.headers.name == expected.name)
            #expect(read.headers.filename == expected.filename)
            #expect(read.headers.contentType == expected.contentType)
            let bytes = Array(Data(base64Encoded: expected.body)!)
            let same = read.body == bytes
            #expect(same, "part \(expected.name): read \(read), expected \(bytes.count) bytes")
        }
    }
}

private func expectError(
    _ code: MultipartError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected a \(code) error", sourceLocation: sourceLocation)
    } catch let error as MultipartError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

// MARK: - Bodies from real producers

@Suite struct MultipartScannerTests {
    @Test(arguments: Fixture.names)
    func readsABodyFromARealProducer(name: String) throws {
        let (fixture, body) = try Fixture.load(name)
        let boundary = try MultipartBoundary(contentType: fixture.contentType)
        fixture.expectMatches(try readParts(body, boundary: boundary))
    }

    @Test(arguments: Fixture.names)
    func everySplitIntoTwoChunksGivesTheSameParts(name: String) throws {
        let (fixture, body) = try Fixture.load(name)
        let boundary = try MultipartBoundary(contentType: fixture.contentType)
        let whole = try readParts(body, boundary: boundary)
        for split in 0...body.count {
            let parts = try readParts(body, boundary: boundary, splits: [split])
            #expect(parts == whole, "split at \(split)")
            if parts != whole { break }
        }
    }

    @Test(arguments: Fixture.names)
    func oneByteChunksGiveTheSameParts(name: String) throws {
        let (fixture, body) = try Fixture.load(name)
        let boundary = try MultipartBoundary(contentType: fixture.contentType)
        let parts = try readParts(body, boundary: boundary, splits: Array(1..<body.count))
        fixture.expectMatches(parts)
        #expect(parts == (try readParts(body, boundary: boundary)))
    }

    @Test func fileFullOfAlmostDelimitersKeepsEveryByte() throws {
        let (fixture, body) = try Fixture.load("requests-fields-and-file")
        let boundary = try MultipartBoundary(contentType: fixture.contentType)
        let file = try #require(try readParts(body, boundary: boundary).first { $0.headers.name == "file" })
        let raw = Array(boundary.value.utf8)
        // The boundary without its leading CRLF, and the file's end: a prefix of its own delimiter.
        #expect(file.body.firstRange(of: Array("--".utf8) + raw) != nil)
        #expect(file.body.suffix(raw.count + 3) == ArraySlice(Array("\r\n--".utf8) + raw.dropLast()))
        for value in UInt8.min...UInt8.max {
            #expect(file.body.contains(value))
        }
    }

    @Test func fieldsBeforeAndAfterTheFileAreReadInOrder() throws {
        let (fixture, body) = try Fixture.load("requests-fields-and-file")
        let boundary = try MultipartBoundary(contentType: fixture.contentType)
        let parts = try readParts(body, boundary: boundary)
        #expect(parts.map(\.headers.name) == ["api_format", "title", "file", "tags"])
        #expect(parts[1].body == Array("Été à Paris".utf8))
        #expect(parts[2].headers.filename == "été 🎬.mp4")
        #expect(parts[3].body == Array("a,b".utf8))
    }

    @Test func emptyFilePartHasNoBodyBytes() throws {
        let (fixture, body) = try Fixture.load("requests-empty-file")
        var scanner = MultipartScanner(boundary: try MultipartBoundary(contentType: fixture.contentType))
        var events: [String] = []
        try scanner.feed(body) { event in
            switch event {
            case .partBegan(let headers): events.append("began \(headers.name)")
            case .bodyBytes(let bytes): events.append("bytes \(bytes.count)")
            case .partEnded: events.append("ended")
            case .finished: events.append("finished")
            }
        }
        try scanner.finish()
        #expect(events == ["began note", "ended", "began file", "ended", "finished"])
    }

    // MARK: - Bodies built here

    @Test func everySplitIntoThreeChunksGivesTheSameParts() throws {
        let boundary = try MultipartBoundary("a")
        let body = formData(
            boundary: "a",
            parts: [field("f", "\r\n-"), (["Content-Disposition: form-data; name=file"], [13, 10, 45, 45, 13, 0])],
            preamble: "p\r\n"
        )
        let whole = try readParts(body, boundary: boundary)
        #expect(whole.map(\.body) == [Array("\r\n-".utf8), [13, 10, 45, 45, 13, 0]])
        for first in 0...body.count {
            for second in first...body.count {
                let parts = try readParts(body, boundary: boundary, splits: [first, second])
                #expect(parts == whole, "splits at \(first), \(second)")
                if parts != whole { return }
            }
        }
    }

    @Test func carriageReturnsRightBeforeTheDelimiterStayInTheBody() throws {
        let bodies: [[UInt8]] = [
            [13], [13, 13], [13, 13, 13], [13, 10, 13], [120, 13, 13, 10, 13], [10, 13, 10, 45, 13], [13, 120, 13],
        ]
        let boundary = try MultipartBoundary("b")
        let body = formData(boundary: "b", parts: bodies.map { (["Content-Disposition: form-data; name=x"], $0) })
        let whole = try readParts(body, boundary: boundary)
        #expect(whole.map(\.body) == bodies)
        for split in 0...body.count {
            let parts = try readParts(body, boundary: boundary, splits: [split])
            #expect(parts == whole, "split at \(split)")
            if parts != whole { break }
        }
    }

    @Test func randomBodiesOfNearMissesSurviveRandomChunks() throws {
        // A fixed-seed generator, so that a failure repeats.
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        let alphabet = Array("\r\n-bc".utf8)
        let delimiter = Array("\r\n--bcb".utf8)
        let boundary = try MultipartBoundary("bcb")
        for round in 0..<300 {
            let bodies = (0..<(1 + next(3))).map { _ in
                var bytes = (0..<next(40)).map { _ in alphabet[next(alphabet.count)] }
                while let found = bytes.firstRange(of: delimiter) { bytes.remove(at: found.lowerBound) }
                return bytes
            }
            let body = formData(
                boundary: "bcb",
                parts: bodies.map { (["Content-Disposition: form-data; name=p"], $0) },
                preamble: next(2) == 0 ? "" : "-\r\n--bc\r"
            )
            var splits: [Int] = []
            var at = 0
            while at < body.count {
                at += 1 + next(12)
                splits.append(at)
            }
            let parts = try readParts(body, boundary: boundary, splits: splits)
            #expect(parts.map(\.body) == bodies, "round \(round)")
            if parts.map(\.body) != bodies { break }
        }
    }

    @Test func longestBoundarySplitAnywhereGivesTheSameParts() throws {
        let text = String(repeating: "'()+_,-./:=? x", count: 5)
        let boundary = try MultipartBoundary(text)
        #expect(text.utf8.count == MultipartBoundary.maximumLength)
        let delimiter = Array("\r\n--\(text)".utf8)
        let content = Array(delimiter.dropLast()) + [0] + delimiter.dropLast(2) + Array("--\(text)".utf8)
        let body = formData(boundary: text, parts: [field("a", "1"), filePart(content), field("z", "2")])
        let whole = try readParts(body, boundary: boundary)
        #expect(whole.map(\.body) == [Array("1".utf8), content, Array("2".utf8)])
        for split in 0...body.count {
            let parts = try readParts(body, boundary: boundary, splits: [split])
            #expect(parts == whole, "split at \(split)")
            if parts != whole { break }
        }
        #expect(try readParts(body, boundary: boundary, splits: Array(1..<body.count)) == whole)
    }

    @Test func preambleTransportPaddingAndEpilogueAreSkipped() throws {
        let boundary = try MultipartBoundary("xyz")
        let body = formData(
            boundary: "xyz",
            parts: [field("a", "1"), filePart(Array("--xyz\r\n--xy".utf8))],
            preamble: "This is the preamble. --xyz is not a delimiter here.\r\n",
            padding: " \t ",
            epilogue: "\r\nThe epilogue, with \r\n--xyz\r\n and junk."
        )
        let parts = try readParts(body, boundary: boundary)
        #expect(parts.map(\.headers.name) == ["a", "file"])
        #expect(parts[1].body == Array("--xyz\r\n--xy".utf8))
    }

    @Test func emptyMultipartBodyFinishesWithNoParts() throws {
        let parts = try readParts(Array("--b--\r\n".utf8), boundary: try MultipartBoundary("b"))
        #expect(parts.isEmpty)
    }

    @Test func bodyBytesAreSlicesOfTheChunkOrTheHeldBackBytes() throws {
        let boundary = try MultipartBoundary("bound")
        let pattern = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let nearMiss = Array("\r\n--bouX".utf8)
        let body = formData(boundary: "bound", parts: [filePart(pattern + nearMiss + pattern)])
        // Split after "\r\n--bou": the scanner holds those 7 bytes back, then passes them on.
        let split = try #require(body.firstRange(of: nearMiss)).lowerBound + 7
        var scanner = MultipartScanner(boundary: boundary)
        var file: [UInt8] = []
        for range in [0..<split, split..<body.count] {
            var outside: [Int] = []
            try Array(body[range]).withUnsafeBytes { chunk in
                let low = chunk.baseAddress!
                let high = low + chunk.count
                try scanner.feed(chunk) { event in
                    guard case .bodyBytes(let bytes) = event else { return }
                    if bytes.baseAddress! < low || bytes.baseAddress! + bytes.count > high {
                        outside.append(bytes.count)
                    }
                    file.append(contentsOf: bytes)
                }
            }
            #expect(outside == (range.lowerBound == 0 ? [] : [7]))
        }
        try scanner.finish()
        #expect(file == pattern + nearMiss + pattern)
    }

    // MARK: - Refused bodies

    @Test(arguments: [
        "",  // nothing at all
        "no boundary here",
        "--b\r\nContent-Disposition: form-da",  // inside the headers
        "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc",  // inside the body
        "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--",  // in a delimiter
        "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--b",  // after the last delimiter
        "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--b-",  // one hyphen of two
        "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--b\r\n",  // before the next headers
    ])
    func bodyWithoutClosingDelimiterFailsAtFinish(text: String) throws {
        var scanner = MultipartScanner(boundary: try MultipartBoundary("b"))
        try scanner.feed(Array(text.utf8)) { _ in }
        #expect(!scanner.isFinished)
        expectError(.truncated) { try scanner.finish() }
    }

    @Test(arguments: [1, 1024, 1 << 20])
    func headerBlockOf20KiBIsRefused(chunkSize: Int) throws {
        let body = formData(
            boundary: "b",
            parts: [
                (
                    [
                        "Content-Disposition: form-data; name=\"file\"",
                        "X-Padding: " + String(repeating: "a", count: 20 << 10),
                    ],
                    [1]
                )
            ]
        )
        let chunks = stride(from: 0, to: body.count, by: chunkSize).map {
            body[$0..<min($0 + chunkSize, body.count)]
        }
        let boundary = try MultipartBoundary("b")
        expectError(.headerBlockTooLarge) { _ = try readParts(chunks: chunks, boundary: boundary) }
    }

    @Test func headerBlockLimitCountsTheBlankLine() throws {
        let disposition = "Content-Disposition: form-data; name=\"file\""
        // The block: disposition CRLF, padding header CRLF, CRLF.
        let fixed = disposition.utf8.count + 2 + "X-Padding: ".utf8.count + 2 + 2
        func body(blockSize: Int) -> [UInt8] {
            let padding = "X-Padding: " + String(repeating: "p", count: blockSize - fixed)
            return formData(boundary: "b", parts: [([disposition, padding], [7])])
        }
        let limit = MultipartScanner.defaultHeaderBlockLimit
        let boundary = try MultipartBoundary("b")
        #expect(try readParts(body(blockSize: limit), boundary: boundary).map(\.body) == [[7]])
        // The block starts after "--b\r\n": split inside its final CRLF CRLF, and right after `limit` bytes.
        let inBlankLine = try readParts(body(blockSize: limit), boundary: boundary, splits: [5 + limit - 2])
        #expect(inBlankLine.map(\.body) == [[7]])
        expectError(.headerBlockTooLarge) { _ = try readParts(body(blockSize: limit + 1), boundary: boundary) }
        expectError(.headerBlockTooLarge) {
            _ = try readParts(body(blockSize: limit + 1), boundary: boundary, splits: [5 + limit])
        }
    }

    @Test(arguments: [
        "--bX\r\n", "--b\rX", "--b -\r\n", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b-x",
    ])
    func delimiterFollowedByOtherTextIsRefused(text: String) throws {
        let body = Array(text.utf8)
        expectError(.malformedDelimiter) {
            var scanner = MultipartScanner(boundary: try MultipartBoundary("b"))
            try scanner.feed(body) { _ in }
        }
    }

    @Test func scannerRefusesInputAfterAnError() throws {
        struct DiskFull: Error {}
        var scanner = MultipartScanner(boundary: try MultipartBoundary("b"))
        let body = formData(boundary: "b", parts: [filePart([1, 2, 3])])
        #expect(throws: DiskFull.self) {
            try scanner.feed(body) { event in
                if case .bodyBytes = event { throw DiskFull() }
            }
        }
        expectError(.truncated) { try scanner.feed(body) { _ in } }
        expectError(.truncated) { try scanner.finish() }
    }

    // MARK: - Part headers

    @Test func partHeadersAreParsed() throws {
        let parts = try readParts(
            formData(
                boundary: "b",
                parts: [
                    (["content-disposition: FORM-DATA; NAME=title"], []),
                    (
                        [
                            #"Content-Disposition:form-data;name="a \"b\" \\ c"; filename="C:\Users\me\a.mp4""#
                        ],
                        []
                    ),
                    (["Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''%C3%A9t%C3%A9.mp4"], []),
                    (
                        [
                            #"Content-Disposition: form-data; name="q"; filename="say %22hi%22;.mp4"  "#,
                            "X-Note: one",
                            "  two",
                        ],
                        []
                    ),
                    (["Content-Type:  text/plain; charset=utf-8 ", "Content-Disposition: form-data; name=\"\""], []),
                ]
            ),
            boundary: try MultipartBoundary("b")
        ).map(\.headers)
        let first = MultipartHeaderField(name: "content-disposition", value: "FORM-DATA; NAME=title")
        #expect(parts[0] == MultipartPartHeaders(name: "title", fields: [first]))
        #expect(parts[1].name == "a \"b\" \\ c")
        #expect(parts[1].filename == "C:\\Users\\me\\a.mp4")
        #expect(parts[2].name == "f")
        #expect(parts[2].filename == nil)
        #expect(parts[3].filename == "say %22hi%22;.mp4")
        #expect(parts[3].value(of: "x-note") == "one two")
        #expect(parts[3].contentType == nil)
        #expect(parts[4].name == "")
        #expect(parts[4].contentType == "text/plain; charset=utf-8")
        #expect(parts[4].value(of: "CONTENT-TYPE") == "text/plain; charset=utf-8")
    }

    @Test(arguments: [
        [String](),  // no headers at all
        ["Content-Type: text/plain"],  // no Content-Disposition
        ["Content-Disposition: attachment; name=\"file\""],
        ["Content-Disposition: form-data; filename=\"a.mp4\""],  // no name
        ["Content-Disposition: form-data; name=\"a\"; name=\"b\""],
        ["Content-Disposition: form-data; name=\"unclosed"],
        ["Content-Disposition: form-data; name=\"a\"x"],
        ["Content-Disposition: form-data; name"],
        ["Content-Disposition: form-data; name=\"a\"", "Content-Disposition: form-data; name=\"b\""],
        ["Content-Disposition: form-data; name=\"a\"", "no colon"],
        ["Content-Disposition : form-data; name=\"a\""],  // space before the colon
        ["Content-Disposition: form-data; name=\"a\"", "X-A: 1\nX-B: 2"],  // bare LF
        ["Content-Disposition: form-data; name=\"a\"", "X-A: 1\rX-B: 2"],  // bare CR
        [" Content-Disposition: form-data; name=\"a\""],  // folded first line
    ])
    func malformedHeadersAreRefused(headers: [String]) throws {
        let body = formData(boundary: "b", parts: [(headers, [1])])
        expectError(.malformedHeaders) { _ = try readParts(body, boundary: try MultipartBoundary("b")) }
    }

    // MARK: - Boundary from Content-Type

    @Test(arguments: [
        ("multipart/form-data; boundary=abc", "abc"),
        ("multipart/form-data; boundary=\"abc\"", "abc"),
        ("Multipart/Form-Data;BOUNDARY=\"a b:c?\"", "a b:c?"),
        ("multipart/form-data; charset=utf-8; boundary=-----------2dc2b93bb2fa946e", "-----------2dc2b93bb2fa946e"),
        ("multipart/form-data ; boundary = x ; foo=\"bar;baz\"", "x"),
        ("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk", "----WebKitFormBoundary7MA4YWxk"),
        ("multipart/form-data; boundary=" + String(repeating: "z", count: 70), String(repeating: "z", count: 70)),
    ])
    func boundaryIsReadFromContentType(contentType: String, expected: String) throws {
        #expect(try MultipartBoundary(contentType: contentType).value == expected)
    }

    @Test(arguments: [
        ("multipart/form-data", MultipartError.Code.missingBoundary),
        ("multipart/form-data; charset=utf-8", .missingBoundary),
        ("multipart/form-data; boundary=\"\"", .invalidBoundary),
        ("multipart/form-data; boundary=", .invalidBoundary),
        ("multipart/form-data; boundary=" + String(repeating: "z", count: 71), .invalidBoundary),
        ("multipart/form-data; boundary=\"ab \"", .invalidBoundary),
        ("multipart/form-data; boundary=a\"b", .invalidBoundary),
        ("multipart/form-data; boundary=\"été\"", .invalidBoundary),
        ("multipart/form-data; boundary=\"abc", .notFormData),
        ("multipart/mixed; boundary=abc", .notFormData),
        ("application/x-www-form-urlencoded", .notFormData),
        ("", .notFormData),
    ])
    func badContentTypeIsRefused(contentType: String, code: MultipartError.Code) {
        expectError(code) { _ = try MultipartBoundary(contentType: contentType) }
    }
}
