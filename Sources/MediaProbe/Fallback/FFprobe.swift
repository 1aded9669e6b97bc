import Foundation

/// The optional `ffprobe` fallback: used only when the user allows it and `ffprobe` is on the PATH.
enum FFprobe {
    /// What ffprobe said about a file.
    struct Answer {
        var duration: Double
        var formatName: String
        var kind: MediaKind
    }

    /// How long ffprobe may take before it is stopped.
    static let timeLimit: TimeInterval = 15

    /// The `ffprobe` executable on the PATH, if any.
    static var executable: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("ffprobe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// What ffprobe is asked: only local files may be opened (`-protocol_whitelist file`), so that a
    /// hostile playlist or concat list cannot make it fetch URLs.
    static func arguments(for url: URL) -> [String] {
        [
            "-v", "error", "-protocol_whitelist", "file", "-show_entries",
            "format=duration,format_name:stream=codec_type", "-of", "json", url.path,
        ]
    }

    /// The duration ffprobe reads for `url`, or `nil` when ffprobe is missing, fails or gives none.
    static func duration(of url: URL) -> Answer? {
        guard let executable, let data = run(executable, arguments(for: url)),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let format = json["format"] as? [String: Any],
            let text = format["duration"] as? String, let duration = Double(text), duration.isFinite, duration >= 0
        else { return nil }
        let streams = json["streams"] as? [[String: Any]] ?? []
        let types = Set(streams.compactMap { $0["codec_type"] as? String })
        let fullName = format["format_name"] as? String ?? "unknown"
        let name = fullName.split(separator: ",").first.map(String.init) ?? "unknown"
        return Answer(duration: duration, formatName: name, kind: kind(formatName: fullName, streamTypes: types))
    }

    /// Runs ffprobe and returns what it printed, or `nil` when it could not start, failed, or was stopped
    /// after ``timeLimit``.
    ///
    /// It is started by ``CleanSpawn``, so that it can be stopped; past the limit it is killed (SIGKILL).
    static func run(_ executable: URL, _ arguments: [String]) -> Data? {
        var output: [Int32] = [0, 0]
        guard pipe(&output) == 0 else { return nil }
        // Not inherited by any other child this process starts meanwhile (dup2 clears it for this one).
        for descriptor in output { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        let started = try? CleanSpawn.start(
            executable.path, arguments, environment: ProcessInfo.processInfo.environment, standardOutput: output[1])
        close(output[1])
        guard let pid = started else {
            close(output[0])
            return nil
        }
        // A stalled mount or a pathological file must not hang the probe: kill ffprobe after the limit.
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit, execute: watchdog)
        let data = FileHandle(fileDescriptor: output[0], closeOnDealloc: true).readDataToEndOfFile()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        watchdog.cancel()
        return status == 0 ? data : nil
    }

    /// The kind ffprobe's answer describes: image formats (`image2`, `*_pipe`, `gif`) are images; else
    /// video before audio before subtitles.
    static func kind(formatName: String, streamTypes: Set<String>) -> MediaKind {
        if formatName.hasPrefix("image2") || formatName.hasSuffix("_pipe") || formatName == "gif" { return .image }
        if streamTypes.contains("video") { return .video }
        if streamTypes.contains("audio") { return .audio }
        if streamTypes.contains("subtitle") { return .textTrack }
        return .unknown
    }
}
