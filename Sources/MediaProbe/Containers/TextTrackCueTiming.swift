/// Reads cue timing lines of WebVTT and SRT (`00:01:02,500 --> 00:01:04.250 settings…`) from raw bytes.
enum TextTrackCueTiming {
    /// The lines of `bytes`, split at CR, LF or CRLF, without the line ends; empty lines are dropped.
    static func lines(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        bytes.split(omittingEmptySubsequences: true) { $0 == 0x0A || $0 == 0x0D }
    }

    /// The start and end of the timing line `line` in seconds, or `nil` when it is not one.
    static func timing(_ line: ArraySlice<UInt8>) -> (start: Double, end: Double)? {
        guard let arrow = arrowIndex(line) else { return nil }
        let left = trimmed(line[line.startIndex..<arrow])
        var right = line[(arrow + 3)...]
        while let first = right.first, first == 0x20 || first == 0x09 { right = right.dropFirst() }
        let endText = right.prefix { $0 != 0x20 && $0 != 0x09 }
        guard let start = timestamp(left), let end = timestamp(endText) else { return nil }
        return (start, end)
    }

    /// Parses `[h…:]mm:ss[.,]fff` (hours optional, any number of hour digits, 1 to 3 fraction digits).
    static func timestamp(_ text: ArraySlice<UInt8>) -> Double? {
        let parts = text.split(separator: 0x3A, omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let last = parts.last else { return nil }
        let secondsParts = last.split(omittingEmptySubsequences: false) { $0 == 0x2C || $0 == 0x2E }
        guard secondsParts.count == 2, let fraction = secondsParts.last, (1...3).contains(fraction.count),
            let seconds = number(secondsParts[0], maxDigits: 2), seconds < 60,
            let fractionValue = number(fraction, maxDigits: 3),
            let minutes = number(parts[parts.count - 2], maxDigits: 2), minutes < 60
        else { return nil }
        var hours = 0
        if parts.count == 3 {
            guard let value = number(parts[0], maxDigits: 9) else { return nil }
            hours = value
        }
        var scale = 1.0
        for _ in 0..<fraction.count { scale *= 10 }
        return Double(hours * 3600 + minutes * 60 + seconds) + Double(fractionValue) / scale
    }

    /// Whether `line` is only ASCII digits (a SRT cue number), ignoring surrounding blanks.
    static func isCueNumber(_ line: ArraySlice<UInt8>) -> Bool {
        number(trimmed(line), maxDigits: 9) != nil
    }

    private static func number(_ digits: ArraySlice<UInt8>, maxDigits: Int) -> Int? {
        guard !digits.isEmpty, digits.count <= maxDigits else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= 0x30, digit <= 0x39 else { return nil }
            value = value * 10 + Int(digit - 0x30)
        }
        return value
    }

    private static func arrowIndex(_ line: ArraySlice<UInt8>) -> Int? {
        guard line.count >= 3 else { return nil }
        for index in line.startIndex...(line.endIndex - 3)
        where line[index] == 0x2D && line[index + 1] == 0x2D && line[index + 2] == 0x3E {
            return index
        }
        return nil
    }

    private static func trimmed(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var result = text
        while let first = result.first, first == 0x20 || first == 0x09 { result = result.dropFirst() }
        while let last = result.last, last == 0x20 || last == 0x09 { result = result.dropLast() }
        return result
    }
}
