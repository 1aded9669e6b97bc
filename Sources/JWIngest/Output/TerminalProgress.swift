import Foundation
import Synchronization

/// Progress for a terminal: finished items scroll as plain lines, and below them a live block redrawn
/// at most ten times a second shows a bar per running upload, the totals, the throughput and the ETA.
public final class TerminalProgress: IngestObserver {
    private struct Running {
        var stage = ""
        /// Progress of the file being sent now.
        var sent: Int64 = 0
        var total: Int64 = 0
        /// Bytes of the item's files sent before it (the media, then a thumbnail, then tracks).
        var earlierFiles: Int64 = 0

        var allSent: Int64 { earlierFiles + sent }
    }
    private struct State {
        var running: [String: Running] = [:]
        var order: [String] = []
        var done = 0
        var items = 0
        var bytesDone: Int64 = 0
        var liveLines = 0
        var lastDraw: ContinuousClock.Instant?
        var waiting: String?
    }

    private let handle: FileHandle
    private let plain: PlainProgress
    private let totalBytes: Int64
    private let started = ContinuousClock.now
    private let state = Mutex(State())
    private let width: Int

    /// Draws on `handle` (standard error by default); `totalBytes` (the sum of the files' sizes) gives
    /// the ETA; `width` is the terminal's (read from it when `nil`): live lines are cut to fit, so that
    /// none wraps and each redraw erases exactly what the last one drew.
    public init(handle: FileHandle = .standardError, totalBytes: Int64, width: Int? = nil) {
        self.handle = handle
        self.totalBytes = totalBytes
        self.plain = PlainProgress(handle: handle)
        self.width = max(40, width ?? Self.terminalWidth(handle.fileDescriptor) ?? 80)
    }

    /// The width of the terminal on `descriptor`, when it is one.
    static func terminalWidth(_ descriptor: Int32) -> Int? {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// `line` cut to one character less than the width (a line that fills the width wraps on some terminals).
    private func fitted(_ line: String) -> String {
        line.count < width ? line : String(line.prefix(width - 2)) + "…"
    }

    /// Handles one event.
    public func observe(_ event: IngestEvent) async {
        var scrolled: String?
        var force = false
        state.withLock { state in
            switch event.kind {
            case .runStarted(let items, _): state.items = items
            case .itemStarted(let item):
                state.running[item] = Running()
                state.order.append(item)
            case .stageStarted(let item, let stage):
                state.running[item]?.stage = stage
                state.waiting = nil
            case .bytesSent(let item, let sent, let total):
                guard var running = state.running[item] else { break }
                if total != running.total || sent < running.sent {
                    // Another file of the item (or a resend) began.
                    running.earlierFiles += running.sent
                }
                running.sent = sent
                running.total = total
                state.running[item] = running
            case .rateLimited(_, _, let route, let until):
                state.waiting = "rate limit on \(route) until \(Self.clock(until))"
            case .itemFinished(let item, _):
                state.done += 1
                state.bytesDone += state.running[item]?.allSent ?? 0
                state.running[item] = nil
                state.order.removeAll { $0 == item }
                force = true
            case .runFinished: force = true
            default: break
            }
        }
        if case .itemFinished = event.kind { scrolled = plain.line(for: event) }
        if case .retry = event.kind { scrolled = plain.line(for: event) }
        if case .runFinished = event.kind { scrolled = plain.line(for: event) }
        if case .runStarted = event.kind { scrolled = plain.line(for: event) }
        if case .remoteChecked = event.kind { scrolled = plain.line(for: event) }
        draw(
            scrolled: scrolled, force: force || scrolled != nil,
            final: {
                if case .runFinished = event.kind { return true }
                return false
            }())
    }

    private func draw(scrolled: String?, force: Bool, final: Bool) {
        let now = ContinuousClock.now
        let text: String? = state.withLock { state in
            if !force, let last = state.lastDraw, now - last < .milliseconds(100) { return nil }
            state.lastDraw = now
            var out = state.liveLines > 0 ? "\u{1B}[\(state.liveLines)F\u{1B}[J" : ""
            if let scrolled { out += scrolled + "\n" }
            guard !final else {
                state.liveLines = 0
                return out
            }
            var lines: [String] = []
            for item in state.order.prefix(8) {
                guard let running = state.running[item] else { continue }
                lines.append(Self.itemLine(item, running, width: width))
            }
            if state.order.count > 8 { lines.append("  … and \(state.order.count - 8) more running") }
            let inFlight = state.running.values.reduce(Int64(0)) { $0 + $1.allSent }
            let sent = state.bytesDone + inFlight
            let elapsed = max(
                0.001,
                Double((now - started).components.seconds) + Double((now - started).components.attoseconds) * 1e-18)
            let rate = Double(sent) / elapsed
            var total = "\(state.done)/\(state.items) items · \(Self.bytes(sent)) sent · \(Self.bytes(Int64(rate)))/s"
            if rate > 0, totalBytes > sent {
                total += " · ETA \(Self.duration(Double(totalBytes - sent) / rate))"
            }
            if let waiting = state.waiting { total += " · \(waiting)" }
            lines.append(total)
            state.liveLines = lines.count
            return out + lines.map(fitted).joined(separator: "\n") + "\n"
        }
        if let text { handle.write(Data(text.utf8)) }
    }

    private static func itemLine(_ item: String, _ running: Running, width: Int) -> String {
        let name =
            item.count > 24 ? String(item.prefix(23)) + "…" : item.padding(toLength: 24, withPad: " ", startingAt: 0)
        guard running.total > 0, running.stage == "upload" || running.stage == "verify" else {
            return "  \(name) \(running.stage)"
        }
        let fraction = min(1, Double(running.sent) / Double(running.total))
        let barWidth = max(10, min(50, width - 50))
        let filled = Int(fraction * Double(barWidth))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
        return "  \(name) \(bar) \(String(format: "%5.1f", fraction * 100))% of \(bytes(running.total))"
    }

    /// `count` bytes for people: `512 B`, `9.6 KiB`, `1.0 GiB`.
    public static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : "\(String(format: "%.1f", value)) \(units[unit])"
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }

    /// The local time of day, `HH:mm:ss`.
    static func clock(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .current).time(includingFractionalSeconds: false))
    }
}
