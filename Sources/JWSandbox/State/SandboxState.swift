import Foundation

/// Everything the sandbox remembers while it runs: assets, upload grants, seen signatures, rate windows
/// and upload progress. One actor, so that concurrent calls see one consistent state.
actor SandboxState {
    private(set) var assets: [String: SandboxAsset] = [:]
    private var order: [String] = []
    private var grants: [String: UploadGrant] = [:]
    private var seenSignatures: [String: Date] = [:]
    private var rateWindows: [String: (start: Int64, count: Int)] = [:]
    private var progress: [String: ProgressState] = [:]

    // MARK: Assets

    func insert(_ asset: SandboxAsset) {
        if assets[asset.key] == nil { order.append(asset.key) }
        assets[asset.key] = asset
    }

    func asset(_ key: String) -> SandboxAsset? { assets[key] }

    /// Changes the asset `key` (nothing when `change` throws) and returns it, or `nil` when there is none.
    func update(_ key: String, _ change: @Sendable (inout SandboxAsset) throws -> Void) throws -> SandboxAsset? {
        guard var asset = assets[key] else { return nil }
        try change(&asset)
        assets[key] = asset
        return asset
    }

    func remove(_ key: String) -> SandboxAsset? {
        order.removeAll { $0 == key }
        return assets.removeValue(forKey: key)
    }

    /// Every asset in the order they were created.
    func allAssets() -> [SandboxAsset] { order.compactMap { assets[$0] } }

    /// A key no asset has yet.
    func newKey() -> String {
        while true {
            let key = SandboxState.randomKey(length: 8)
            if assets[key] == nil { return key }
        }
    }

    static func randomKey(length: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<length).map { _ in alphabet.randomElement()! })
    }

    // MARK: Upload grants

    func grant(assetKey: String, segment: String, at date: Date) -> UploadGrant {
        let token = (0..<40).map { _ in String(UInt8.random(in: 0...15), radix: 16) }.joined()
        let grant = UploadGrant(token: token, assetKey: assetKey, segment: segment, issuedAt: date)
        grants[token] = grant
        progress[token] = .starting
        return grant
    }

    func grant(for token: String) -> UploadGrant? { grants[token] }

    /// Marks a grant used; `false` when it was used already (two uploads raced for one token).
    func consume(_ token: String) -> Bool {
        guard var grant = grants[token], !grant.used else { return false }
        grant.used = true
        grants[token] = grant
        return true
    }

    // MARK: Replay protection

    /// Records a signature; `false` when it was seen within `window` before `now`.
    func recordSignature(_ signature: String, now: Date, window: TimeInterval) -> Bool {
        if seenSignatures.count > 100_000 {
            seenSignatures = seenSignatures.filter { now.timeIntervalSince($0.value) < window }
        }
        if let seen = seenSignatures[signature], now.timeIntervalSince(seen) < window { return false }
        seenSignatures[signature] = now
        return true
    }

    // MARK: Rate limits

    /// Counts a call of `route` and returns its window: limit, remaining after this call, reset time, and
    /// whether this call is over the limit.
    func countCall(_ route: String, limit: Int, now: Date) -> (remaining: Int, reset: Int64, exceeded: Bool) {
        let second = Int64(now.timeIntervalSince1970.rounded(.down))
        let start = second - second % 60
        var window = rateWindows[route] ?? (start, 0)
        if window.start != start { window = (start, 0) }
        window.count += 1
        rateWindows[route] = window
        return (max(0, limit - window.count), start + 60, window.count > limit)
    }

    // MARK: Progress

    func setProgress(_ token: String, _ state: ProgressState) { progress[token] = state }

    func progress(for token: String) -> ProgressState? { progress[token] }
}
