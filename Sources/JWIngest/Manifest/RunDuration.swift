import Foundation

/// A length of time written as operators write it: `6h`, `90m`, `1h30m`, `45s`, `2d`, or a number of
/// seconds.
public enum RunDuration {
    /// The seconds `text` stands for, or `nil` when it is not a duration above zero.
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let plain = Double(trimmed) { return plain.isFinite && plain > 0 ? plain : nil }
        let units: [Character: Double] = ["d": 86_400, "h": 3_600, "m": 60, "s": 1]
        var total = 0.0
        var number = ""
        for character in trimmed {
            if character.isNumber || character == "." {
                number.append(character)
            } else if let unit = units[character], let value = Double(number), value.isFinite {
                total += value * unit
                number = ""
            } else {
                return nil
            }
        }
        guard number.isEmpty, total > 0 else { return nil }
        return total
    }
}
