import Foundation

/// The date forms of the v2 API: ISO 8601 in answers and bodies (`2020-02-20T08:58:26+00:00`), and the
/// `X-Amz-Date` of presigned links (`20200220T085826Z`), always in UTC.
enum V2Timestamps {
    /// `date` as the answers write it: `2020-02-20T08:58:26+00:00`.
    static func iso8601(_ date: Date) -> String {
        let parts = utcParts(date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d+00:00", parts.year, parts.month, parts.day, parts.hour,
            parts.minute, parts.second)
    }

    /// `seconds` since 1970 as the answers write it.
    static func iso8601(unix seconds: Int64) -> String { iso8601(Date(timeIntervalSince1970: Double(seconds))) }

    /// An ISO 8601 date and time with a zone (`Z` or `±hh:mm`), fractional seconds allowed, or a bare date
    /// (`2020-02-20`, midnight UTC); `nil` for anything else.
    static func parseISO8601(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return plain.date(from: text) ?? withFraction.date(from: text) ?? day.date(from: text)
    }

    /// `date` as `X-Amz-Date`: `20200220T085826Z`.
    static func amzDate(_ date: Date) -> String {
        let parts = utcParts(date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.year, parts.month, parts.day, parts.hour, parts.minute,
            parts.second)
    }

    /// The date of an `X-Amz-Date`, or `nil` when it is not `yyyyMMddTHHmmssZ`.
    static func parseAmzDate(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
        else { return nil }
        var components = DateComponents()
        (components.year, components.month, components.day) = (year, month, day)
        (components.hour, components.minute, components.second) = (hour, minute, second)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: components), amzDate(date) == text else { return nil }
        return date
    }

    private static func utcParts(
        _ date: Date
    ) -> (
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    ) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return (
            parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0
        )
    }
}
