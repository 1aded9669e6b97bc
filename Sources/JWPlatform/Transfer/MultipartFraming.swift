import Foundation
import NIOCore

/// The bytes around a file in a `multipart/form-data` body with one part, `file`: the part's head before
/// the file and the closing boundary after it. The length of the whole body is known before sending.
struct MultipartFraming: Sendable {
    let boundary: String
    let head: ByteBuffer
    let tail: ByteBuffer

    init(fileName: String) {
        boundary = "jwingest-" + Self.randomHex()
        let safeName = Self.headerSafe(fileName)
        head = ByteBuffer(
            string: "--\(boundary)\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"\(safeName)\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
        tail = ByteBuffer(string: "\r\n--\(boundary)--\r\n")
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// 16 random hex digits, 64 bits from one call of the system's generator (no file opened, unlike
    /// `UUID()`): a boundary that a file's bytes contain by chance once in 2^64 tries per position.
    static func randomHex() -> String {
        let text = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    /// `fileName` with each quote, backslash, CR and LF replaced by `_`: they would end the header early,
    /// and the platform does not need the real name. Worked on UTF-8 bytes (those four are ASCII).
    static func headerSafe(_ fileName: String) -> String {
        func unsafe(_ byte: UInt8) -> Bool { byte == 0x22 || byte == 0x5C || byte == 0x0D || byte == 0x0A }
        guard fileName.utf8.contains(where: unsafe) else { return fileName }
        return String(decoding: fileName.utf8.map { unsafe($0) ? UInt8(ascii: "_") : $0 }, as: UTF8.self)
    }

    func bodyLength(fileSize: Int64) -> Int64 {
        Int64(head.readableBytes) + fileSize + Int64(tail.readableBytes)
    }
}

/// The file's chunks framed by a multipart head and tail.
struct FramedChunks<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let head: ByteBuffer
    let base: Base
    let tail: ByteBuffer

    func makeAsyncIterator() -> Iterator { Iterator(head: head, base: base.makeAsyncIterator(), tail: tail) }

    struct Iterator: AsyncIteratorProtocol {
        var head: ByteBuffer?
        var base: Base.AsyncIterator
        var tail: ByteBuffer?

        mutating func next() async throws -> ByteBuffer? {
            if let first = head {
                head = nil
                return first
            }
            if let chunk = try await base.next() { return chunk }
            defer { tail = nil }
            return tail
        }
    }
}
