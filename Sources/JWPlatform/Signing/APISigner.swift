import Crypto
import Foundation

/// Signs v1 API calls (API.md §1).
///
/// Every parameter except `api_signature` is percent-encoded (``PercentEncoding``), sorted by encoded
/// name in byte order (a repeated name keeps its list order), joined as `name=value` with `&`; the secret
/// is appended and the SHA-1 of the result, in lower-case hex, is the signature.
public struct APISigner: Sendable {
    /// How the parameters are ordered before signing.
    public struct Order: Sendable, Hashable {
        fileprivate enum Kind { case encodedName, unencodedName }
        fileprivate var kind: Kind

        /// By encoded name, byte order: the documented rule, and what this client sends.
        public static let encodedName = Order(kind: .encodedName)
        /// By unencoded name, code-point order: what the official Python client does. The two orders differ
        /// only for names with characters that need encoding.
        public static let unencodedName = Order(kind: .unencodedName)
    }

    /// The key and secret to sign with.
    public var credentials: APICredentials
    /// The clock that gives `api_timestamp`.
    public var now: @Sendable () -> Date
    /// The source of `api_nonce`: 8 random decimal digits.
    public var nonce: @Sendable () -> String

    /// Creates a signer.
    ///
    /// - Parameters:
    ///   - credentials: The account's v1 key and secret.
    ///   - now: The clock; tests pass a fixed one.
    ///   - nonce: The nonce source; tests pass a fixed one.
    public init(
        credentials: APICredentials,
        now: @escaping @Sendable () -> Date = { Date() },
        nonce: @escaping @Sendable () -> String = APISigner.randomNonce
    ) {
        self.credentials = credentials
        self.now = now
        self.nonce = nonce
    }

    /// The parameters of a call with `api_key`, `api_timestamp`, `api_nonce`, `api_format` and
    /// `api_signature` added, ready to send. Called once per attempt, so that every retry is signed anew.
    ///
    /// - Parameters:
    ///   - parameters: The call's own parameters.
    ///   - format: The answer format asked for.
    /// - Returns: The call's parameters followed by the five `api_` parameters.
    public func sign(_ parameters: APIParameters, format: AnswerFormatName) -> APIParameters {
        var signed = parameters
        for name in ["api_key", "api_timestamp", "api_nonce", "api_format", "api_signature"] {
            signed.remove(name)
        }
        signed.append("api_format", format.rawValue)
        signed.append("api_key", credentials.key)
        signed.append("api_nonce", nonce())
        signed.append("api_timestamp", Int64(now().timeIntervalSince1970.rounded(.down)))
        signed.append("api_signature", Self.signature(of: signed, secret: credentials.secret))
        return signed
    }

    /// The text that is hashed, without the secret: the sorted, encoded `name=value` pairs joined with `&`.
    ///
    /// - Parameters:
    ///   - parameters: Every parameter of the call; `api_signature` is left out.
    ///   - order: The sort rule.
    public static func baseString(of parameters: APIParameters, order: Order = .encodedName) -> String {
        String(decoding: baseBytes(of: parameters, order: order), as: UTF8.self)
    }

    /// ``baseString(of:order:)`` as UTF-8 bytes, built in one buffer: a string a pair, sorted and joined,
    /// was about twenty allocations a call (issue 14).
    static func baseBytes(of parameters: APIParameters, order: Order) -> [UInt8] {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(parameters.reduce(16) { $0 + $1.name.utf8.count + $1.value.utf8.count + 2 })
        // Each pair's encoded name, its whole `name=value` text in `encoded`, and its position.
        var pairs: [(name: Range<Int>, text: Range<Int>, position: Int)] = []
        pairs.reserveCapacity(parameters.count)
        for (position, parameter) in parameters.enumerated() where parameter.name != "api_signature" {
            let start = encoded.count
            PercentEncoding.append(parameter.name, to: &encoded)
            let nameEnd = encoded.count
            encoded.append(UInt8(ascii: "="))
            PercentEncoding.append(parameter.value, to: &encoded)
            pairs.append((start..<nameEnd, start..<encoded.count, position))
        }
        // Swift's sort is not stable: the position is the last key.
        pairs.sort { left, right in
            switch order.kind {
            case .encodedName:
                let (a, b) = (encoded[left.name], encoded[right.name])
                if !a.elementsEqual(b) { return a.lexicographicallyPrecedes(b) }
            case .unencodedName:
                let (a, b) = (parameters[left.position].name.utf8, parameters[right.position].name.utf8)
                if !a.elementsEqual(b) { return a.lexicographicallyPrecedes(b) }
            }
            return left.position < right.position
        }
        var base: [UInt8] = []
        base.reserveCapacity(encoded.count + pairs.count)
        for (index, pair) in pairs.enumerated() {
            if index > 0 { base.append(UInt8(ascii: "&")) }
            base.append(contentsOf: encoded[pair.text])
        }
        return base
    }

    /// Eight random decimal digits, the default `api_nonce`.
    @Sendable public static func randomNonce() -> String {
        var value = Int.random(in: 0...99_999_999)
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: 8)
        for index in digits.indices.reversed() {
            digits[index] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// The signature of `parameters`: SHA-1 of the base string followed by the secret, lower-case hex.
    public static func signature(
        of parameters: APIParameters, secret: APISecret, order: Order = .encodedName
    )
        -> String
    {
        var hash = Insecure.SHA1()
        baseBytes(of: parameters, order: order).withUnsafeBytes { hash.update(bufferPointer: $0) }
        secret.withRevealedText { hash.update(data: Array($0.utf8)) }
        return hash.finalize().withUnsafeBytes(Hex.encode)
    }
}
