import ArgumentParser
import Foundation
import MediaProbe

/// `jwingest probe`: what each file is and how long it lasts, read from its container headers.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Tell what media files are and how long they last, without ffmpeg.",
        discussion: """
            Reads only container headers (and the end of the file where the duration lives there): a few KiB
            to a few MiB whatever the file's size. Broken files are reported as unreadable with a reason.
            Exit codes: 0 every file was read (unknown formats included); 1 some file is missing or unreadable.

            Example: jwingest probe manifests/media/intro.mp4
            """
    )

    @Argument(help: ArgumentHelp("The files to probe.", valueName: "file"))
    var files: [String]

    @Flag(name: .long, help: "Print one JSON object per file (NDJSON) instead of a line of text.")
    var json = false

    @Flag(name: .long, help: "Ask ffprobe, when it is on the PATH, about files the probe cannot time itself.")
    var allowFfprobe = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one file") }
    }

    func run() throws {
        let prober = MediaProber(options: MediaProber.Options(allowsFFprobe: allowFfprobe))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var failed = false
        for file in files {
            let info = prober.probe(URL(fileURLWithPath: file))
            failed = failed || info.kind == .unreadable
            if json {
                FileHandle.standardOutput.write(try encoder.encode(info) + Data("\n".utf8))
            } else {
                print(Self.line(for: info))
            }
        }
        if failed { throw ExitCode(ExitStatus.failure) }
    }

    /// One line of text: path, container, kind, duration and where it came from, or why there is none.
    static func line(for info: MediaInfo) -> String {
        var parts = [info.path, info.container.rawValue, info.kind.rawValue]
        if let duration = info.duration {
            parts.append(String(format: "%.3f s", duration) + " (\(info.durationSource ?? "?"))")
        }
        if let reason = info.reason { parts.append("— \(reason)") }
        return parts.joined(separator: "  ")
    }
}
