// probe-benchmark: times MediaProber against ffprobe on the same files, in the same run.
//
//   swift run -c release --static-swift-stdlib probe-benchmark [--rounds N] [--ffprobe-rounds M] FILE_OR_FOLDER…
//
// Prints, per file, the mean time of one in-process probe, of this program run as a child process to probe
// the file once (start-up included, as a user running `jwingest probe` pays it), and of one
// `ffprobe -show_entries format=duration` process; then the ratios of the totals. Measure in release only:
// debug builds are many times slower.
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

func runProcess(_ executable: URL, _ arguments: [String]) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do {
        try process.run()
        process.waitUntilExit()
    } catch {
        FileHandle.standardError.write(Data("cannot run \(executable.path): \(error)\n".utf8))
        exit(1)
    }
}

// `--once FILE…`: probe the files and print their durations; the benchmark times this as a child process.
if CommandLine.arguments.count >= 3, CommandLine.arguments[1] == "--once" {
    for path in CommandLine.arguments.dropFirst(2) {
        let info = MediaProber().probe(URL(fileURLWithPath: path))
        print(info.duration.map { String($0) } ?? "none")
    }
    exit(0)
}

let settings = parse(Array(CommandLine.arguments.dropFirst()))
let selfExecutable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
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
var processTotal = 0.0
var ffprobeTotal = 0.0
var ratios: [Double] = []
print("file  probe_ms  probe_process_ms  ffprobe_process_ms  ratio_in_process  ratio_process")
for file in files {
    _ = prober.probe(file)  // warm the page cache
    let probeTime =
        seconds(clock.measure { for _ in 0..<settings.rounds { _ = prober.probe(file) } }) / Double(settings.rounds)
    probeTotal += probeTime
    let processTime =
        seconds(
            clock.measure {
                for _ in 0..<settings.ffprobeRounds { runProcess(selfExecutable, ["--once", file.path]) }
            }) / Double(settings.ffprobeRounds)
    processTotal += processTime
    var line = "\(file.lastPathComponent)  \(String(format: "%.4f", probeTime * 1000))"
    line += "  \(String(format: "%.2f", processTime * 1000))"
    if let ffprobe {
        let arguments = ["-v", "error", "-show_entries", "format=duration", "-of", "json", file.path]
        let ffprobeTime =
            seconds(clock.measure { for _ in 0..<settings.ffprobeRounds { runProcess(ffprobe, arguments) } })
            / Double(settings.ffprobeRounds)
        ffprobeTotal += ffprobeTime
        ratios.append(ffprobeTime / processTime)
        line += "  \(String(format: "%.2f", ffprobeTime * 1000))"
        line +=
            "  \(String(format: "%.0f", ffprobeTime / probeTime))×  \(String(format: "%.1f", ffprobeTime / processTime))×"
    }
    print(line)
}
print("files: \(files.count); mean probe: \(String(format: "%.4f", probeTotal / Double(files.count) * 1000)) ms")
print(
    "mean probe as a child process (start-up included): \(String(format: "%.2f", processTotal / Double(files.count) * 1000)) ms"
)
// One child process probing every file, as `jwingest probe FILE…` does for a manifest: start-up paid once.
let batchTime =
    seconds(
        clock.measure {
            for _ in 0..<settings.ffprobeRounds { runProcess(selfExecutable, ["--once"] + files.map(\.path)) }
        }) / Double(settings.ffprobeRounds)
print(
    "one probe process for all \(files.count) files: \(String(format: "%.2f", batchTime * 1000)) ms, "
        + "\(String(format: "%.3f", batchTime / Double(files.count) * 1000)) ms a file")
if ffprobe != nil, !ratios.isEmpty {
    let sorted = ratios.sorted()
    print(
        "ratio per file, one probe process for all files against one ffprobe process a file: "
            + "\(String(format: "%.0f", ffprobeTotal / batchTime))×")
    print("mean ffprobe process: \(String(format: "%.2f", ffprobeTotal / Double(files.count) * 1000)) ms")
    print("ratio of totals, in process (ffprobe / probe): \(String(format: "%.0f", ffprobeTotal / probeTotal))×")
    print(
        "ratio of totals, process against process (ffprobe / probe --once): "
            + "\(String(format: "%.1f", ffprobeTotal / processTotal))×; per file min "
            + "\(String(format: "%.1f", sorted.first ?? 0))×, median \(String(format: "%.1f", sorted[sorted.count / 2]))×"
    )
} else {
    print("ffprobe not on the PATH: no comparison")
}
