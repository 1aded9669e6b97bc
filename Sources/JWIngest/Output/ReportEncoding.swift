import Foundation

/// The one JSON encoder and the one date format of the reports and events.
enum ReportEncoding {
    /// Dates as ISO 8601 with milliseconds, in UTC: `2026-12-03T10:00:00.123Z`.
    static let dateStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// `seconds` to the millisecond, as reports show times.
    static func milliseconds(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }

    /// `value` as one line of JSON.
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(dateStyle))
        }
        // Keys sorted: the same run writes the same text, and lines can be compared and searched.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Reports and events hold only strings, numbers, booleans and dates: encoding cannot fail.
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
