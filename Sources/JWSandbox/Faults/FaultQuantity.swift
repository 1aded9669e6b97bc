/// Exact decimal reading for shares and durations: `2.5` scaled by `10^k` into an integer, or why not.
enum FaultDecimal {
    /// Why a decimal could not be read.
    enum Problem: Error, Equatable {
        /// Not `digits[.digits]`.
        case notANumber
        /// More decimals than the unit keeps.
        case tooPrecise
        /// Does not fit.
        case tooLarge
    }

    /// `text` (`12`, `12.5`, `.5`, `12.`) times `10^power`, exactly.
    static func scaled(_ text: Substring, by power: Int) -> Result<UInt64, Problem> {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        var fraction = parts.count > 1 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty),
            whole.allSatisfy(\.isFaultDigit), fraction.allSatisfy(\.isFaultDigit)
        else { return .failure(.notANumber) }
        while fraction.hasSuffix("0") { fraction = fraction.dropLast() }
        guard fraction.count <= power else { return .failure(.tooPrecise) }
        let digits = whole.drop { $0 == "0" } + fraction + String(repeating: "0", count: power - fraction.count)
        guard digits.count <= 18 else { return .failure(.tooLarge) }
        return .success(UInt64(digits.isEmpty ? "0" : String(digits))!)
    }

    /// `value / 10^power` written with as few decimals as it needs: `2.5`, `5`, `0.001`.
    static func format(_ value: UInt64, over power: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<power { scale *= 10 }
        let whole = value / scale
        var fraction = String(value % scale)
        guard fraction != "0" else { return String(whole) }
        fraction = String(repeating: "0", count: power - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }
}

/// A rule's share, kept exactly in billionths: `5%` and `0.05` are both 50,000,000; `0.0000001%` is one.
enum FaultShare {
    /// A share of 100%.
    static let whole: UInt64 = 1_000_000_000

    /// Reads `5%`, `2.5%`, `0.05`, `1`: a percentage with `%`, else a fraction of 1.
    static func parse(_ text: Substring) -> Result<UInt64, FaultSpecError.Detail> {
        let isPercent = text.hasSuffix("%")
        let number = isPercent ? text.dropLast() : text
        switch FaultDecimal.scaled(number, by: isPercent ? 7 : 9) {
        case .success(let billionths) where billionths > whole:
            let hint = !isPercent && billionths <= 100 * whole ? "\(number)%" : nil
            return .failure(.init(.shareOverWhole, "share \"\(text)\" is over 100%", suggestion: hint))
        case .success(let billionths):
            return .success(billionths)
        case .failure(.tooPrecise):
            return .failure(.init(.invalidShare, "share \"\(text)\" is finer than the 0.0000001% kept"))
        case .failure(.tooLarge):
            return .failure(.init(.shareOverWhole, "share \"\(text)\" is over 100%"))
        case .failure(.notANumber):
            return .failure(.init(.invalidShare, "share \"\(text)\" is not a percentage (5%) or a fraction (0.05)"))
        }
    }

    /// `5%`, `2.5%`, `100%`.
    static func format(_ billionths: UInt64) -> String {
        FaultDecimal.format(billionths, over: 7) + "%"
    }
}

/// Latencies, kept exactly in nanoseconds: `50ms`, `1.5s`, `250us`; at most one hour.
enum FaultDuration {
    /// The units, longest suffix first so `ms` is not read as `s`.
    static let units: [(suffix: String, power: Int)] = [("ns", 0), ("us", 3), ("ms", 6), ("s", 9)]

    /// The longest latency a rule may add: one hour.
    static let maximum: Int64 = 3_600_000_000_000

    /// Reads a duration with its unit, or without one when `defaultUnit` is given (the lower end of a range).
    static func parse(_ text: Substring, defaultUnit: Int? = nil) -> Result<Int64, FaultSpecError.Detail> {
        let lowered = text.lowercased()
        var number = Substring(lowered)
        var power = defaultUnit
        for unit in units where lowered.hasSuffix(unit.suffix) {
            number = number.dropLast(unit.suffix.count)
            power = unit.power
            break
        }
        guard let power else {
            guard FaultDecimal.scaled(number, by: 9) != .failure(.notANumber) else {
                return .failure(
                    .init(.invalidDuration, "duration \"\(text)\" is not a number with a unit (ns, us, ms, s)"))
            }
            return .failure(
                .init(.invalidDuration, "duration \"\(text)\" has no unit (ns, us, ms, s)", suggestion: "\(text)ms"))
        }
        switch FaultDecimal.scaled(number, by: power) {
        case .success(let nanoseconds) where nanoseconds > UInt64(maximum):
            return .failure(.init(.invalidDuration, "duration \"\(text)\" is over the 1 h limit"))
        case .success(let nanoseconds):
            return .success(Int64(nanoseconds))
        case .failure(.tooPrecise):
            return .failure(.init(.invalidDuration, "duration \"\(text)\" is finer than a nanosecond"))
        case .failure(.tooLarge):
            return .failure(.init(.invalidDuration, "duration \"\(text)\" is over the 1 h limit"))
        case .failure(.notANumber):
            return .failure(.init(.invalidDuration, "duration \"\(text)\" is not a number with a unit (50ms, 1.5s)"))
        }
    }

    /// The unit power of `text`'s suffix, if it has one.
    static func unitPower(of text: Substring) -> Int? {
        let lowered = text.lowercased()
        return units.first { lowered.hasSuffix($0.suffix) }?.power
    }

    /// `50ms`, `1.5s`, `250us`, `1.234567ms`: in the largest unit the value reaches, with the decimals it needs.
    static func format(nanoseconds: Int64) -> String {
        let (number, unit) = split(nanoseconds: nanoseconds)
        return number + unit
    }

    /// `20..200ms`, `1.5..2s`, `900ms..2s`: the lower end loses its unit when it is the upper end's.
    static func format(range: ClosedRange<Int64>) -> String {
        guard range.lowerBound != range.upperBound else { return format(nanoseconds: range.lowerBound) }
        let lower = split(nanoseconds: range.lowerBound)
        let upper = split(nanoseconds: range.upperBound)
        return lower.number + (lower.unit == upper.unit ? "" : lower.unit) + ".." + upper.number + upper.unit
    }

    /// The number and the unit of ``format(nanoseconds:)``: the largest unit the value reaches, exactly.
    static func split(nanoseconds: Int64) -> (number: String, unit: String) {
        let value = UInt64(max(nanoseconds, 0))
        guard value != 0 else { return ("0", "ms") }
        for unit in units.reversed() {
            var one: UInt64 = 1
            for _ in 0..<unit.power { one *= 10 }
            if value >= one { return (FaultDecimal.format(value, over: unit.power), unit.suffix) }
        }
        return (String(value), "ns")
    }
}

extension Character {
    /// `0`–`9` only (not other scripts' digits).
    var isFaultDigit: Bool { ("0"..."9").contains(self) }
}
