import NIOCore
import Testing

@testable import JWPlatform

/// The multipart head and tail around an uploaded file.
@Suite("multipart framing of an upload")
struct MultipartFramingTests {
    @Test("a file name cannot end the part's header: quotes, backslashes, CR and LF become _")
    func hostileFileNames() {
        let names = ["a\"b.mp4", "a\nb.mp4", "a\rb.mp4", "a\r\nb.mp4", "a\\b.mp4", "clip \u{e9}t\u{e9} \u{1F3AC}.mp4"]
        let expected = ["a_b.mp4", "a_b.mp4", "a_b.mp4", "a__b.mp4", "a_b.mp4", "clip \u{e9}t\u{e9} \u{1F3AC}.mp4"]
        for (name, safe) in zip(names, expected) {
            let framing = MultipartFraming(fileName: name)
            let head = String(buffer: framing.head)
            #expect(head.contains("filename=\"\(safe)\"\r\n"), "\(head.debugDescription)")
            // Only the three header lines end in CRLF, and the blank line after them.
            #expect(head.components(separatedBy: "\r\n").count == 5, "\(head.debugDescription)")
            #expect(!head.contains("\n\n") && !head.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        }
    }

    @Test("each upload has its own boundary of 16 hex digits, in the head, the tail and the content type")
    func boundaries() {
        let boundaries = (0..<200).map { _ in MultipartFraming(fileName: "v.mp4").boundary }
        #expect(Set(boundaries).count == 200)
        for boundary in boundaries {
            #expect(boundary.hasPrefix("jwingest-") && boundary.count == 25)
            #expect(boundary.dropFirst(9).allSatisfy { $0.isHexDigit })
        }
        let framing = MultipartFraming(fileName: "v.mp4")
        #expect(String(buffer: framing.head).hasPrefix("--\(framing.boundary)\r\n"))
        #expect(String(buffer: framing.tail) == "\r\n--\(framing.boundary)--\r\n")
        #expect(framing.contentType == "multipart/form-data; boundary=\(framing.boundary)")
        #expect(framing.bodyLength(fileSize: 10) == Int64(framing.head.readableBytes + 10 + framing.tail.readableBytes))
    }
}
