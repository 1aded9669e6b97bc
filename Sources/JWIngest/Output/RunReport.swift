import Foundation

extension RunSummary {
    /// The run as a JSON report (`--report FILE.json`), for nightly jobs: totals, then per item its
    /// outcome, asset key, file digest as sent and as received, stage times and error. No secrets: links
    /// and tokens are not in it.
    public var jsonReport: String {
        let items = results.map { result -> String in
            var pairs: [(String, String?)] = [
                ("id", JSONText.string(result.item.id)),
                ("outcome", JSONText.string(result.outcome.name)),
                ("kind", JSONText.string(result.item.kind.rawValue)),
                ("source", JSONText.string(result.item.source.description)),
                ("key", result.state.mediaKey.map(JSONText.string)),
                ("seconds", JSONText.number(result.seconds)),
            ]
            if let sent = result.state.sent {
                pairs.append(
                    ("sent", JSONText.object([("md5", JSONText.string(sent.md5)), ("size", String(sent.size))])))
            }
            if let received = result.state.received {
                pairs.append(
                    (
                        "received",
                        JSONText.object([("md5", JSONText.string(received.md5)), ("size", String(received.size))])
                    )
                )
            }
            pairs.append(("verified", String(result.state.verified)))
            pairs.append(("uploads", String(result.state.uploads)))
            pairs.append(("thumbnail", String(result.state.thumbnailDone)))
            pairs.append(("tracks", String(result.state.tracksUploaded.count)))
            let stages = result.stageTimes.map {
                JSONText.object([("stage", JSONText.string($0.stage)), ("seconds", JSONText.number($0.seconds))])
            }
            pairs.append(("stages", "[" + stages.joined(separator: ",") + "]"))
            switch result.outcome {
            case .failed(let error):
                pairs.append(
                    (
                        "error",
                        JSONText.object([
                            ("stage", JSONText.string(error.stage)), ("message", JSONText.string(error.message)),
                            ("expected", error.expected.map(JSONText.string)),
                            ("seen", error.seen.map(JSONText.string)),
                            ("retryable", String(error.isRetryable)),
                        ])
                    ))
            case .interrupted(let stage):
                pairs.append(("lastStage", stage.map(JSONText.string)))
            case .ingested, .unchanged:
                break
            }
            return "    " + JSONText.object(pairs)
        }
        let head = JSONText.object([
            ("manifest", JSONText.string(manifest.path)),
            ("endpoint", JSONText.string(endpoint)),
            ("started", JSONText.date(started)),
            ("seconds", JSONText.number(seconds)),
            ("items", String(results.count)),
            ("ingested", String(ingested)),
            ("unchanged", String(unchanged)),
            ("failed", String(failed)),
            ("interrupted", String(interrupted)),
            ("bytesSent", String(bytesSent)),
            ("exitCode", String(exitCode)),
            ("stopped", stop.map { JSONText.string($0.message) }),
        ])
        return String(head.dropLast()) + ",\"results\":[\n" + items.joined(separator: ",\n") + "\n]}\n"
    }

    /// The run as JUnit XML (`--junit FILE.xml`): one test case per item, a failure for a failed item and
    /// `skipped` for an interrupted one, so CI systems show a nightly job like a test run.
    public var junitReport: String {
        func escape(_ text: String) -> String {
            var out = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
                case let c where c.value < 0x20: out += " "
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
        let suite = escape(manifest.lastPathComponent)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<testsuites name=\"jwingest\" tests=\"\(results.count)\" failures=\"\(failed)\" skipped=\"\(interrupted)\""
        xml += " time=\"\(String(format: "%.3f", seconds))\">\n"
        xml += "  <testsuite name=\"\(suite)\" tests=\"\(results.count)\" failures=\"\(failed)\" errors=\"0\""
        xml += " skipped=\"\(interrupted)\" time=\"\(String(format: "%.3f", seconds))\">\n"
        for result in results {
            xml += "    <testcase classname=\"\(suite)\" name=\"\(escape(result.item.id))\""
            xml += " time=\"\(String(format: "%.3f", result.seconds))\""
            switch result.outcome {
            case .ingested(let key):
                xml += ">\n      <system-out>\(escape("ingested as \(key ?? "?")"))</system-out>\n    </testcase>\n"
            case .unchanged(let key):
                xml += ">\n      <system-out>\(escape("unchanged since an earlier run: \(key ?? "?")"))</system-out>\n"
                xml += "    </testcase>\n"
            case .failed(let error):
                xml += ">\n      <failure message=\"\(escape(error.message))\" type=\"\(escape(error.stage))\">"
                xml += escape(error.description) + "</failure>\n    </testcase>\n"
            case .interrupted(let stage):
                xml +=
                    ">\n      <skipped message=\"\(escape("interrupted after \(stage ?? "no stage")"))\"/>\n    </testcase>\n"
            }
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }
}
