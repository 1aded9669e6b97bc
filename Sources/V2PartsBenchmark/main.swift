// v2-parts-benchmark: one v2 multipart upload of a file into a sandbox (or any v2 endpoint), for
// scripts/bench-v2-parts.sh.
//
//   v2-parts-benchmark send ENDPOINT FILE PART_SIZE CONCURRENCY
//       creates a multipart media and sends FILE's parts, CONCURRENCY at a time, each verified against its
//       ETag, then completes; prints one JSON line: seconds, bytes, parts, MiB/s, peak RSS (KiB), media id.
//   v2-parts-benchmark links ENDPOINT FILE PART_SIZE OUT
//       creates a multipart media and writes to OUT, one per line, "NUMBER OFFSET LENGTH LINK" for each
//       part, then "upload UPLOAD_ID", "token UPLOAD_TOKEN" and "media ID" (for curl to send the parts).
//   v2-parts-benchmark complete ENDPOINT UPLOAD_ID UPLOAD_TOKEN
//       completes an upload whose parts were sent by another program.
//
// Credentials from JW_SITE_ID and JW_V2_API_SECRET. Plain http is kept for loopback only.
import Foundation
import JWPlatform

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("v2-parts-benchmark: \(message)\n".utf8))
    exit(2)
}

/// The peak resident set of this process, in KiB (`VmHWM`).
func peakResidentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
    }
    return -1
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 4 else { fail("usage: send|links|complete ENDPOINT …") }
let credentials: V2Credentials
do {
    guard let found = try V2Credentials.fromEnvironment() else { fail("set JW_SITE_ID and JW_V2_API_SECRET") }
    credentials = found
} catch {
    fail("\(error)")
}
let client = V2Client(
    credentials: credentials, configuration: APIClientConfiguration(endpoint: arguments[1], retry: .standard))

func createMultipart() async throws -> (media: String, upload: MultipartUpload) {
    let created = try await client.call(
        .post, "/v2/sites/{site_id}/media/",
        body: ["upload": ["method": "multipart"], "metadata": ["title": "v2-parts-benchmark"]])
    guard let media = created.value["id"]?.text, let id = created.value["upload_id"]?.text,
        let token = created.value["upload_token"]?.text
    else { fail("the create answer has no id, upload_id or upload_token") }
    return (media, MultipartUpload(id: id, token: APISecret(token)))
}

func plan(_ file: URL, _ partSize: String) throws -> MultipartPlan {
    let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value ?? 0
    guard let part = Int64(partSize) else { fail("PART_SIZE must be a number of bytes") }
    return try MultipartPlan(fileSize: size, partSize: part)
}

do {
    switch arguments[0] {
    case "send":
        guard arguments.count == 5, let concurrency = Int(arguments[4]) else { fail("send ENDPOINT FILE PART_SIZE N") }
        let file = URL(fileURLWithPath: arguments[2])
        let parts = try plan(file, arguments[3])
        let (media, upload) = try await createMultipart()
        let started = ContinuousClock.now
        let outcome = try await PartSender(
            client: client, upload: upload, plan: parts, file: file, concurrency: concurrency
        ).send()
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(outcome.sentBytes) / 1_048_576 / seconds
        print(
            """
            {"seconds": \(String(format: "%.3f", seconds)), "bytes": \(outcome.sentBytes), \
            "parts": \(outcome.sentParts.count), "mib_per_s": \(String(format: "%.1f", rate)), \
            "peak_rss_kib": \(peakResidentKiB()), "media": "\(media)"}
            """)
    case "links":
        guard arguments.count == 5 else { fail("links ENDPOINT FILE PART_SIZE OUT") }
        let file = URL(fileURLWithPath: arguments[2])
        let parts = try plan(file, arguments[3])
        let (media, upload) = try await createMultipart()
        let listed = try await client.listParts(of: upload, count: parts.partCount)
        var lines = listed.map { part -> String in
            let range = parts.range(of: part.number, in: file)
            return "\(part.number) \(range.offset) \(range.length) \(part.link)"
        }
        lines.append("upload \(upload.id)")
        lines.append("token \(upload.token.withRevealedText { $0 })")
        lines.append("media \(media)")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: arguments[4]))
    case "complete":
        try await client.complete(MultipartUpload(id: arguments[2], token: APISecret(arguments[3])))
    default:
        fail("unknown mode \(arguments[0]) (send, links, complete)")
    }
} catch {
    fail("\(error)")
}
