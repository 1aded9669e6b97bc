import Foundation

/// The optional `ffprobe` fallback: used only when the user allows it and `ffprobe` is on the PATH.
enum FFprobe {
    /// What ffprobe said about a file.
    struct Answer {
        var duration: Double
        var formatName: String
        var hasVideo: Bool
    }

    /// The `ffprobe` executable on the PATH, if any.
    static var executable: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("ffprobe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// The duration ffprobe reads for `url`, or `nil` when ffprobe is missing, fails or gives none.
    static func duration(of url: URL) -> Answer? {
        guard let executable else { return nil }
        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "-v", "error", "-show_entries", "format=duration,format_name:stream=codec_type", "-of", "json", url.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let format = json["format"] as? [String: Any],
            let text = format["duration"] as? String, let duration = Double(text), duration.isFinite
        else { return nil }
        let streams = json["streams"] as? [[String: Any]] ?? []
        let name = (format["format_name"] as? String)?.split(separator: ",").first.map(String.init) ?? "unknown"
        return Answer(
            duration: duration, formatName: name,
            hasVideo: streams.contains { $0["codec_type"] as? String == "video" })
    }
}
