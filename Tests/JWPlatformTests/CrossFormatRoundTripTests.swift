import Foundation
import Testing

@testable import JWPlatform

/// A small deterministic generator (SplitMix64), so a failing tree can be reproduced from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random answer-like trees: objects at the root, names that every format can carry, texts with
/// non-ASCII, quotes, markup characters and whitespace, integers at the 64-bit bounds, finite doubles.
enum TreeGenerator {
    static let names = ["key", "status", "title", "md5", "size", "custom.ingest_id", "rate_limit", "a_b", "x-y", "Z9"]
    static let texts = [
        "", "ok", "démo ☃ 日本", "quote \" and ' apostrophe", "<tag> & ampersand", "tab\tnew\nline", "  spaced  ",
        "carriage\r\nreturn", "emoji 😀", "123", "1.5", "true",
    ]

    static func tree(seed: UInt64) -> APIValue {
        var generator = SeededGenerator(state: seed)
        return object(depth: 0, using: &generator)
    }

    static func object(depth: Int, using generator: inout SeededGenerator) -> APIValue {
        var object = APIObject()
        for index in 0..<Int.random(in: 0...5, using: &generator) {
            let name = names.randomElement(using: &generator)! + (index % 2 == 0 ? "" : "_\(index)")
            object[name] = value(depth: depth + 1, using: &generator)
        }
        return .object(object)
    }

    static func value(depth: Int, using generator: inout SeededGenerator) -> APIValue {
        let choice = Int.random(in: 0..<(depth > 4 ? 6 : 9), using: &generator)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2:
            return .int(
                [
                    0, 1, -1, Int64.max, Int64.min, 21_545_452,
                    Int64.random(in: -1_000_000...1_000_000, using: &generator),
                ].randomElement(using: &generator)!)
        case 3:
            return .double(
                [0.5, -2.25, 1e-7, 1.5e25, 12.5, Double.random(in: -1e6...1e6, using: &generator)].randomElement(
                    using: &generator)!)
        case 4, 5: return .string(texts.randomElement(using: &generator)!)
        case 6, 7: return object(depth: depth, using: &generator)
        default:
            return .array(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in value(depth: depth + 1, using: &generator) })
        }
    }
}

@Suite("every format round-trips the same generated trees")
struct CrossFormatRoundTripTests {
    @Test(
        "decode(encode(tree)) == normalized(tree), 300 trees per format",
        arguments: [AnswerFormatName.json, .xml, .php, .py])
    func roundTrip(format: AnswerFormatName) throws {
        let codec = try AnswerFormatRegistry.standard.format(named: format)
        for seed in UInt64(1)...300 {
            let tree = TreeGenerator.tree(seed: seed)
            let bytes = try codec.encode(tree)
            let back = try codec.decode(bytes)
            #expect(back == codec.normalized(tree), "seed \(seed) in \(format)")
        }
    }

    @Test("json and py give back exactly the same tree, types included; php too, once empty objects are lists")
    func typedFormatsAgree() throws {
        let php = PHPAnswerFormat()
        for seed in UInt64(1)...100 {
            let tree = TreeGenerator.tree(seed: seed)
            #expect(try JSONAnswerFormat().decode(JSONAnswerFormat().encode(tree)) == tree, "seed \(seed)")
            #expect(try PickleAnswerFormat().decode(PickleAnswerFormat().encode(tree)) == tree, "seed \(seed)")
            #expect(try php.decode(php.encode(tree)) == php.normalized(tree), "seed \(seed)")
        }
        #expect(php.normalized(["a": [:], "b": ["c": 1]]) == ["a": [], "b": ["c": 1]])
    }

    @Test("a user can register a format of their own and the client's registry finds it")
    func customFormatRegistered() throws {
        struct Reversed: AnswerFormat {
            var name: AnswerFormatName { "json-reversed" }
            func decode(_ bytes: [UInt8]) throws -> APIValue { try JSONAnswerFormat().decode(bytes.reversed()) }
            func encode(_ value: APIValue) throws -> [UInt8] { try JSONAnswerFormat().encode(value).reversed() }
        }
        var registry = AnswerFormatRegistry.standard
        registry.register(Reversed())
        let codec = try registry.format(named: "json-reversed")
        let tree: APIValue = ["status": "ok", "n": 1]
        #expect(try codec.decode(codec.encode(tree)) == tree)
        #expect(registry.names.map(\.rawValue) == ["json", "json-reversed", "php", "py", "xml"])
        #expect(throws: UnknownAnswerFormatError.self) { try AnswerFormatRegistry.standard.format(named: "yaml") }
    }
}
