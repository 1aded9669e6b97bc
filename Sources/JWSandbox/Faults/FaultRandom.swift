/// The deterministic numbers behind a ``FaultPlan``: one random-access stream per request scope.
///
/// A stream is SplitMix64 started from `mix(seed ^ FNV-1a(stream key))`. SplitMix64's n-th output depends only
/// on its start and on n, so the draws of the k-th request of a scope sit at a fixed position of that scope's
/// stream, whatever other scopes do and in whatever order threads run. Swift's `Hasher` is seeded at random
/// per process and is not used.
struct FaultStream: Sendable, Hashable {
    /// The stream's start, already mixed.
    let start: UInt64

    /// The stream of `key` for `seed`.
    init(seed: UInt64, key: String) {
        start = Self.mix(seed ^ Self.fnv1a(key))
    }

    /// The raw 64-bit draw at `position` (0-based).
    func bits(at position: UInt64) -> UInt64 {
        Self.mix(start &+ (position &+ 1) &* Self.gamma)
    }

    /// A draw at `position`, uniform in `0..<bound` (multiply-high; the bias is below `bound / 2^64`).
    func below(_ bound: UInt64, at position: UInt64) -> UInt64 {
        bits(at: position).multipliedFullWidth(by: bound).high
    }

    /// A draw at `position`, uniform in `0..<1` with 53 random bits.
    func fraction(at position: UInt64) -> Double {
        Double(bits(at: position) >> 11) * 0x1p-53
    }

    /// SplitMix64's increment (the golden ratio in 64 bits).
    static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// SplitMix64's finalizer.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 64-bit FNV-1a of the UTF-8 bytes of `text`: stable across processes, machines and Swift versions.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
