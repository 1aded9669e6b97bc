import Foundation
import Testing

@testable import JWPlatform

/// The hostile answers of the foundation issue, across the formats they apply to: each must be refused
/// with an ``AnswerDecodingError``, quickly, without crashing the process.
@Suite("hostile answers are refused with a typed error, quickly")
struct HostileAnswerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var format: AnswerFormatName
        var bytes: [UInt8]
        var testDescription: String { "\(format): \(name)" }
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let sample: APIValue = [
        "status": "ok", "media": ["type": "video", "key": "tL17msiU"],
        "link": [
            "protocol": "http", "address": "upload.jwplatform.com", "path": "/v1/videos/upload",
            "query": ["key": "vtQmcboj", "token": "e2bbad0fd889d5d2e30047596cfe3789778257d2"],
        ],
        "rate_limit": ["reset": 1_572_450_240, "limit": 60, "remaining": 59],
    ]

    static var cases: [Case] {
        var cases: [Case] = []
        // XML: external entity, parameter entity, billion laughs, DOCTYPE.
        cases.append(
            Case(
                name: "XXE file:///etc/passwd", format: .xml,
                bytes: bytes(
                    "<?xml version=\"1.0\"?>\n<!DOCTYPE response [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<response><status>&x;</status></response>"
                )))
        var laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE response [\n<!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            laughs += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
        }
        laughs += "]>\n<response><status>&lol9;</status></response>"
        cases.append(Case(name: "billion laughs", format: .xml, bytes: bytes(laughs)))
        // Pickle: the os.system classic, protocol 0 (GLOBAL) and protocol 4 (STACK_GLOBAL).
        cases.append(
            Case(name: "GLOBAL + REDUCE os.system", format: .py, bytes: bytes("cos\nsystem\n(S'echo pwned'\ntR.")))
        cases.append(
            Case(
                name: "STACK_GLOBAL + REDUCE os.system", format: .py,
                bytes: [0x80, 0x04, 0x8C, 0x02] + bytes("os") + [0x94, 0x8C, 0x06] + bytes("system") + [
                    0x94, 0x93, 0x94, 0x8C, 0x0A,
                ]
                    + bytes("echo pwned") + [0x94, 0x85, 0x94, 0x52, 0x94, 0x2E]))
        // PHP: an object.
        cases.append(Case(name: "O: object", format: .php, bytes: bytes("O:8:\"stdClass\":1:{s:1:\"a\";i:1;}")))
        // Nesting 10,000 deep, in every format.
        let depth = 10_000
        cases.append(
            Case(
                name: "nesting 10,000 deep", format: .json,
                bytes:
                    bytes(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))))
        cases.append(
            Case(
                name: "nesting 10,000 deep", format: .xml,
                bytes: bytes(
                    "<response>" + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
                        + "</response>")))
        cases.append(
            Case(
                name: "nesting 10,000 deep", format: .php,
                bytes:
                    bytes(String(repeating: "a:1:{i:0;", count: depth) + "N;" + String(repeating: "}", count: depth))))
        cases.append(
            Case(
                name: "nesting 10,000 deep", format: .py,
                bytes: [0x80, 0x02] + [UInt8](repeating: UInt8(ascii: "("), count: depth)
                    + [UInt8](repeating: UInt8(ascii: "l"), count: depth) + [0x2E]))
        // A 50 MB length claimed in a body of about 100 bytes.
        let php50 = "s:50000000:\"" + String(repeating: "A", count: 80) + "\";"
        cases.append(Case(name: "50 MB string length in 100 bytes", format: .php, bytes: bytes(php50)))
        let length = UInt32(50_000_000)
        cases.append(
            Case(
                name: "50 MB BINUNICODE length in 100 bytes", format: .py,
                bytes: [0x80, 0x02, UInt8(ascii: "X")] + withUnsafeBytes(of: length.littleEndian, Array.init)
                    + [UInt8](repeating: UInt8(ascii: "A"), count: 90) + [0x2E]))
        cases.append(
            Case(
                name: "50 MB BINBYTES8 length in 100 bytes", format: .py,
                bytes: [0x80, 0x04, 0x8E] + withUnsafeBytes(of: UInt64(50_000_000).littleEndian, Array.init)
                    + [UInt8](repeating: UInt8(ascii: "A"), count: 90) + [0x2E]))
        // Invalid UTF-8 in a text, in every format.
        cases.append(
            Case(name: "invalid UTF-8", format: .json, bytes: bytes("{\"title\":\"") + [0xFF, 0xFE] + bytes("\"}")))
        cases.append(
            Case(
                name: "invalid UTF-8", format: .xml,
                bytes: bytes("<response><title>") + [0xC0, 0xAF] + bytes("</title></response>")))
        cases.append(
            Case(
                name: "invalid UTF-8", format: .php,
                bytes: bytes("a:1:{s:5:\"title\";s:2:\"") + [0xFF, 0xFE] + bytes("\";}")))
        cases.append(
            Case(
                name: "invalid UTF-8", format: .py,
                bytes: [0x80, 0x02, UInt8(ascii: "X"), 2, 0, 0, 0, 0xFF, 0xFE, 0x2E]))
        // A truncated body, in every format: the sample answer cut in the middle.
        for format in [AnswerFormatName.json, .xml, .php, .py] {
            let whole = (try? AnswerFormatRegistry.standard.format(named: format).encode(sample)) ?? []
            cases.append(Case(name: "truncated body", format: format, bytes: Array(whole.prefix(whole.count / 2))))
        }
        return cases
    }

    @Test("each hostile answer is refused with AnswerDecodingError in well under a second", arguments: cases)
    func refused(_ hostile: Case) throws {
        let codec = try AnswerFormatRegistry.standard.format(named: hostile.format)
        let clock = ContinuousClock()
        var refusal: AnswerDecodingError?
        let elapsed = clock.measure {
            do {
                let tree = try codec.decode(hostile.bytes)
                Issue.record("accepted: \(tree)")
            } catch let error as AnswerDecodingError {
                refusal = error
            } catch {
                Issue.record("refused with an untyped error: \(error)")
            }
        }
        #expect(refusal != nil)
        #expect(refusal?.format == hostile.format)
        // A correctness bound (no exponential blow-up), not a benchmark: real refusals take microseconds.
        #expect(elapsed < .milliseconds(500), "took \(elapsed)")
        print("hostile \(hostile.format) \(hostile.name): \(refusal?.code.rawValue ?? "-") in \(elapsed)")
    }

    @Test(
        "every prefix of a valid answer is refused or read, never a crash",
        arguments: [AnswerFormatName.json, .xml, .php, .py])
    func everyPrefix(format: AnswerFormatName) throws {
        let codec = try AnswerFormatRegistry.standard.format(named: format)
        let whole = try codec.encode(Self.sample)
        #expect(try codec.decode(whole) == codec.normalized(Self.sample))
        for length in 0..<whole.count {
            // A prefix that lacks only trailing whitespace is a whole answer.
            if whole[length...].allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) { continue }
            #expect(throws: AnswerDecodingError.self, "prefix \(length) of \(whole.count)") {
                try codec.decode(Array(whole.prefix(length)))
            }
        }
    }
}
