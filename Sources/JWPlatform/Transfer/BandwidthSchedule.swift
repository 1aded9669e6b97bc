import Foundation

/// A bandwidth limit in bytes a second, fixed or changing with the time of day, as rclone writes it:
/// `20M`, or `"08:00,5M 19:00,off"` (from 08:00 5 MiB/s, from 19:00 no limit, and before 08:00 the last
/// entry of the day). Sizes are binary: `K` is 1024 bytes, `M` 1024², `G` 1024³; `off` is no limit.
public struct BandwidthSchedule: Sendable, Hashable, CustomStringConvertible {
    /// One entry: from `minute` of the day (0–1439), `bytesPerSecond` (`nil`: no limit).
    public struct Entry: Sendable, Hashable {
        /// Minutes after midnight, local time.
        public var minute: Int
        /// The limit; `nil` for none.
        public var bytesPerSecond: Int64?
    }

    /// The entries, by time of day; one entry at minute 0 for a fixed limit.
    public var entries: [Entry]
    /// The text it was read from.
    public let text: String

    /// Reads `text`: a rate (`20M`, `512K`, `1G`, `1500000`, `off`) or entries `HH:MM,RATE` separated by spaces.
    ///
    /// - Throws: ``BandwidthScheduleError`` naming the part that cannot be read.
    public init(_ text: String) throws {
        self.text = text
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !parts.isEmpty else { throw BandwidthScheduleError(text: text, reason: "it is empty") }
        if parts.count == 1, !parts[0].contains(",") {
            entries = [Entry(minute: 0, bytesPerSecond: try Self.rate(parts[0], in: text))]
            return
        }
        var read: [Entry] = []
        for part in parts {
            let pieces = part.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard pieces.count == 2 else {
                throw BandwidthScheduleError(text: text, reason: "\"\(part)\" is not HH:MM,RATE")
            }
            let clock = pieces[0].split(separator: ":").compactMap { Int($0) }
            guard clock.count == 2, (0..<24).contains(clock[0]), (0..<60).contains(clock[1]) else {
                throw BandwidthScheduleError(text: text, reason: "\"\(pieces[0])\" is not a time HH:MM")
            }
            read.append(Entry(minute: clock[0] * 60 + clock[1], bytesPerSecond: try Self.rate(pieces[1], in: text)))
        }
        read.sort { $0.minute < $1.minute }
        for (first, second) in zip(read, read.dropFirst()) where first.minute == second.minute {
            throw BandwidthScheduleError(text: text, reason: "two entries start at the same time")
        }
        entries = read
    }

    /// The limit at `date` (local time): the last entry started by then, or the day's last entry before
    /// the first.
    public func bytesPerSecond(at date: Date, calendar: Calendar = .current) -> Int64? {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        return (entries.last { $0.minute <= minute } ?? entries.last)?.bytesPerSecond
    }

    /// The text shown in messages and logs.
    public var description: String { text }

    /// A rate: `off`, or a number of bytes with an optional `K`, `M`, `G` (binary, `B`/`iB` allowed).
    static func rate(_ text: String, in whole: String) throws -> Int64? {
        let lowered = text.lowercased()
        if lowered == "off" { return nil }
        var digits = Substring(lowered)
        for suffix in ["ib", "b"] where digits.hasSuffix(suffix) && digits.count > suffix.count {
            digits = digits.dropLast(suffix.count)
            break
        }
        var multiplier: Double = 1
        if let last = digits.last, let power = ["k": 1.0, "m": 2.0, "g": 3.0][String(last)] {
            multiplier = pow(1024, power)
            digits = digits.dropLast()
        }
        guard let number = Double(digits), number.isFinite, number > 0 else {
            throw BandwidthScheduleError(text: whole, reason: "\"\(text)\" is not a rate like 20M, 512K or off")
        }
        return Swift.max(1, Int64(number * multiplier))
    }
}

/// A bandwidth limit that cannot be read.
public struct BandwidthScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text given.
    public var text: String
    /// What is wrong.
    public var reason: String

    /// The text shown in messages and logs.
    public var description: String {
        "cannot read the bandwidth limit \"\(text)\": \(reason) (write 20M, or \"08:00,5M 19:00,off\")"
    }
}
