/// A SPEC that cannot be read: which rule, what is wrong with it, and a likely fix.
///
/// ```
/// fault rule 2 "latncy=50ms": unknown kind "latncy"; did you mean "latency"?
/// ```
public struct FaultSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong. An open set of codes.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Nothing between two separators, or a separator at either end (`500=5%,,503`).
        public static let emptyRule = Code(rawValue: "emptyRule")
        /// The kind before `=` is none of `500`, `503`, `429`, `drop`, `md5`, `latency`.
        public static let unknownKind = Code(rawValue: "unknownKind")
        /// The share is not a percentage (`5%`) or a fraction (`0.05`), or is finer than a billionth.
        public static let invalidShare = Code(rawValue: "invalidShare")
        /// A share over 100% (`150%`, `5`).
        public static let shareOverWhole = Code(rawValue: "shareOverWhole")
        /// The failure rules that match one request add up to more than 100%.
        public static let sharesOverWhole = Code(rawValue: "sharesOverWhole")
        /// A latency that is not a number with a unit, is over one hour, or a range that runs backwards.
        public static let invalidDuration = Code(rawValue: "invalidDuration")
        /// A `bw` value that is not a positive number of bytes a second (`20M`, `512K`).
        public static let invalidBandwidth = Code(rawValue: "invalidBandwidth")
        /// A value is needed and absent (`latency` without a duration, `500=`).
        public static let missingValue = Code(rawValue: "missingValue")
        /// The part after `@` is none of `*`, `api`, `upload`, `s3` or a known path.
        public static let unknownScope = Code(rawValue: "unknownScope")
        /// `drop` or `md5` on a scope whose requests carry no body (`drop@api`, `md5@/videos/create`).
        public static let scopeWithoutBody = Code(rawValue: "scopeWithoutBody")
    }

    /// What is wrong.
    public var code: Code
    /// The rule as it was typed (trimmed), e.g. `latncy=50ms`.
    public var rule: String
    /// The rule's position in the SPEC, from 1.
    public var ruleNumber: Int
    /// What is wrong with it, e.g. `unknown kind "latncy"`.
    public var message: String
    /// The likely intended text, e.g. `latency` for a kind, `5%` for a share, when there is one.
    public var suggestion: String?

    /// An error about the `ruleNumber`-th rule, `rule`.
    ///
    /// - Parameters:
    ///   - code: What is wrong.
    ///   - rule: The rule as typed.
    ///   - ruleNumber: Its position, from 1.
    ///   - message: What is wrong with it.
    ///   - suggestion: The likely intended text, if any.
    public init(code: Code, rule: String, ruleNumber: Int, message: String, suggestion: String? = nil) {
        self.code = code
        self.rule = rule
        self.ruleNumber = ruleNumber
        self.message = message
        self.suggestion = suggestion
    }

    /// `fault rule N "RULE": MESSAGE[; did you mean "SUGGESTION"?]`.
    public var description: String {
        var text = "fault rule \(ruleNumber) \"\(rule)\": \(message)"
        if let suggestion { text += "; did you mean \"\(suggestion)\"?" }
        return text
    }

    /// What is wrong, before the parser adds which rule it is.
    struct Detail: Error, Hashable {
        var code: Code
        var message: String
        var suggestion: String?

        init(_ code: Code, _ message: String, suggestion: String? = nil) {
            self.code = code
            self.message = message
            self.suggestion = suggestion
        }
    }
}
