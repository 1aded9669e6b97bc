import Foundation
import XMLCoder

/// The run as JUnit XML (`--junit FILE.xml`), as values: one test case per item, a failure for a failed
/// item and `skipped` for an interrupted one, so that CI systems show a nightly job like a test run.
struct JUnitReport: Encodable, DynamicNodeEncoding {
    var name = "jwingest"
    var tests: Int
    var failures: Int
    var skipped: Int
    var time: String
    var testsuite: Suite

    struct Suite: Encodable, DynamicNodeEncoding {
        var name: String
        var tests: Int
        var failures: Int
        var errors = 0
        var skipped: Int
        var time: String
        var testcase: [Case]

        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
            key.stringValue == "testcase" ? .element : .attribute
        }
    }

    struct Case: Encodable, DynamicNodeEncoding {
        var classname: String
        var name: String
        var time: String
        var systemOut: String?
        var failure: Failure?
        var skipped: Skipped?

        enum CodingKeys: String, CodingKey {
            case classname, name, time, failure, skipped
            case systemOut = "system-out"
        }

        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
            ["classname", "name", "time"].contains(key.stringValue) ? .attribute : .element
        }
    }

    struct Failure: Encodable, DynamicNodeEncoding {
        var message: String
        var type: String
        var value: String

        enum CodingKeys: String, CodingKey {
            case message, type
            case value = ""
        }

        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
            key.stringValue.isEmpty ? .element : .attribute
        }
    }

    struct Skipped: Encodable, DynamicNodeEncoding {
        var message: String

        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding { .attribute }
    }

    static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
        key.stringValue == "testsuite" ? .element : .attribute
    }
}

extension RunSummary {
    /// The run as JUnit XML (`--junit FILE.xml`): one test case per item; a failed item is a `failure` of
    /// the type of its error's code, an interrupted one `skipped`.
    public var junitReport: String {
        let suite = manifest.lastPathComponent
        let cases = results.map { result -> JUnitReport.Case in
            var testCase = JUnitReport.Case(
                classname: suite, name: result.item.id, time: Self.decimal(result.seconds))
            switch result.outcome {
            case .ingested(let key):
                testCase.systemOut = "ingested as \(key ?? "?")"
            case .unchanged(let key):
                testCase.systemOut = "unchanged since an earlier run: \(key ?? "?")"
            case .failed(let error):
                testCase.failure = JUnitReport.Failure(
                    message: error.message, type: error.code.rawValue, value: error.description)
            case .interrupted(let stage):
                testCase.skipped = JUnitReport.Skipped(message: "interrupted after \(stage ?? "no stage")")
            }
            return testCase
        }
        let report = JUnitReport(
            tests: results.count, failures: failed, skipped: interrupted, time: Self.decimal(seconds),
            testsuite: JUnitReport.Suite(
                name: suite, tests: results.count, failures: failed, skipped: interrupted, time: Self.decimal(seconds),
                testcase: cases))
        let encoder = XMLEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        let data = try? encoder.encode(
            report, withRootKey: "testsuites", header: XMLHeader(version: 1.0, encoding: "UTF-8"))
        return (data.map { String(decoding: $0, as: UTF8.self) } ?? "") + "\n"
    }

    /// Seconds with three decimals, as JUnit readers expect.
    static func decimal(_ seconds: Double) -> String {
        let milliseconds = Int64((seconds * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
