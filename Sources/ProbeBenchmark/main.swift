// probe-benchmark: times MediaProber against ffprobe on the same files, in the same run.
//
//   swift run -c release probe-benchmark [--rounds N] [--ffprobe-rounds M] FILE_OR_FOLDER…
//
// Prints, per file, the mean time of one probe and of one `ffprobe -show_entries format=duration` call,
// then the ratio of the totals. Measure in release only: debug builds are many times slower.
import Foundation
import MediaProbe

struct Settings {
    var rounds = 50
    var ffprobeRounds = 5
    var paths: [String] = []
}

func parse(_ arguments: [String]) -> Settings {
    var settings = Settings()
    var iterator = arguments.makeIterator()
    while let argument = iterator.next() {
        switch argument {
        case "--rounds": settings.rounds = iterator.next().flatMap(Int.init) ?? settings.rounds
        case "--ffprobe-rounds": settings.ffprobeRounds = iterator.next().flatMap(Int.init) ?? settings.ffprobeRounds
        default: settings.paths.append(argument)
        }
    }
    return settings
}

func mediaFiles(_ paths: [String]) -> [URL] {
    var files: [URL] = []
    for path in paths {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
        if isFolder.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            for name in names.sorted()
            where !name.hasSuffix(".json") && !name.hasSuffix(".sh") && !name.hasSuffix(".py") {
                files.append(URL(fileURLWithPath: path).appendingPathComponent(name))
            }
        } else {
            files.append(URL(fileURLWithPath: path))
        }
    }
    return files
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

func runFFprobe(_ executable: URL, _ file: URL) {
    let process = Process()
    process.executableURL = executable
    process.arguments = ["-v", "error", "-show_entries", "format=duration", "-of", "json", file.path]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try? process.run()
    process.waitUntilExit()
}

let settings = parse(Array(CommandLine.arguments.dropFirst()))
let files = mediaFiles(settings.paths)
guard !files.isEmpty else {
    FileHandle.standardError.write(
        Data("usage: probe-benchmark [--rounds N] [--ffprobe-rounds M] FILE_OR_FOLDER…\n".utf8))
    exit(2)
}
let ffprobe = ProcessInfo.processInfo.environment["PATH"].flatMap { path in
    path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("ffprobe") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

let prober = MediaProber()
let clock = ContinuousClock()
var probeTotal = 0.0
var ffprobeTotal = 0.0
var ratios: [Double] = []
print("file  probe_ms  ffprobe_ms  ratio")
for file in files {
    _ = prober.probe(file)  // warm the page cache
    let probeTime =
        seconds(clock.measure { for _ in 0..<settings.rounds { _ = prober.probe(file) } }) / Double(settings.rounds)
    probeTotal += probeTime
    var line = "\(file.lastPathComponent)  \(String(format: "%.4f", probeTime * 1000))"
    if let ffprobe {
        let ffprobeTime =
            seconds(clock.measure { for _ in 0..<settings.ffprobeRounds { runFFprobe(ffprobe, file) } })
            / Double(settings.ffprobeRounds)
        ffprobeTotal += ffprobeTime
        ratios.append(ffprobeTime / probeTime)
        line += "  \(String(format: "%.2f", ffprobeTime * 1000))  \(String(format: "%.0f", ffprobeTime / probeTime))×"
    }
    print(line)
}
print("files: \(files.count); mean probe: \(String(format: "%.4f", probeTotal / Double(files.count) * 1000)) ms")
if ffprobe != nil, !ratios.isEmpty {
    let sorted = ratios.sorted()
    print("mean ffprobe: \(String(format: "%.2f", ffprobeTotal / Double(files.count) * 1000)) ms")
    print(
        "ratio of totals (ffprobe / probe): \(String(format: "%.0f", ffprobeTotal / probeTotal))×; "
            + "per-file ratio min \(String(format: "%.0f", sorted.first!))×, median \(String(format: "%.0f", sorted[sorted.count / 2]))×"
    )
} else {
    print("ffprobe not on the PATH: no comparison")
}
