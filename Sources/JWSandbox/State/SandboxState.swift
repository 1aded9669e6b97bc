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
    private(set) var tallies: [String: CallTally] = [:]

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

    /// Creates an asset under a fresh key in one step, so two creates never share a key.
    func create(
        kind: String, at date: Date, _ fill: @Sendable (inout SandboxAsset) throws -> Void
    ) rethrows
        -> SandboxAsset
    {
        var asset = SandboxAsset(key: newKey(), kind: kind, createdAt: date)
        try fill(&asset)
        insert(asset)
        return asset
    }

    /// Inserts `asset` unless its key exists; returns whichever asset the key holds afterwards.
    func insertIfAbsent(_ asset: SandboxAsset) -> SandboxAsset {
        if let existing = assets[asset.key] { return existing }
        insert(asset)
        return asset
    }

    /// Removes an asset, the assets that belong to it (a video's thumbnail and tracks) and every link
    /// issued for them; returns what was removed (empty when the key was unknown).
    func remove(_ key: String) -> [SandboxAsset] {
        guard let asset = assets[key] else { return [] }
        let dependents = assets.values.filter { $0.videoKey == key }
        let removed = [asset] + dependents
        let keys = Set(removed.map(\.key))
        for removedKey in keys { assets[removedKey] = nil }
        order.removeAll { keys.contains($0) }
        grants = grants.filter { !keys.contains($0.value.assetKey) }
        return removed
    }

    /// Records a file that arrived whole, in one step: the token is spent, the asset takes the file.
    /// Returns the updated asset and the path of the file it replaced, or throws when the token was spent
    /// meanwhile or the asset was deleted during the upload.
    func commitUpload(
        token: String, assetKey: String, storedPath: String, md5: String, size: Int64, at date: Date,
        judge: @Sendable (SandboxAsset) -> (duration: Double?, failure: String?)
    ) throws -> (asset: SandboxAsset, replacedPath: String?) {
        guard var grant = grants[token], !grant.used else {
            throw SandboxError(.permissionDenied, "token: already used; ask for a new link")
        }
        guard var asset = assets[assetKey] else {
            throw SandboxError(.notFound, "key: the asset was deleted during the upload")
        }
        grant.used = true
        grants[token] = grant
        let replaced = asset.storedPath
        asset.md5 = md5
        asset.size = size
        asset.uploads += 1
        asset.uploadedAt = date
        asset.storedPath = storedPath
        asset.awaitingNewFile = false
        (asset.duration, asset.failure) = judge(asset)
        assets[assetKey] = asset
        return (asset, replaced)
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

    /// `length` random letters and digits.
    static func randomKey(length: Int) -> String {
        randomText(length: length, alphabet: keyAlphabet)
    }

    /// `length` characters drawn uniformly from `alphabet` (at most 256 ASCII characters), eight random
    /// bytes at a time: one `getrandom` call for eight characters, where one a character made the system
    /// calls the largest part of the sandbox's time per item (issue 14).
    static func randomText(length: Int, alphabet: [UInt8]) -> String {
        var generator = SystemRandomNumberGenerator()
        // Bytes at or above `limit` are dropped, so that every character is as likely as any other.
        let limit = 256 - 256 % alphabet.count
        var text: [UInt8] = []
        text.reserveCapacity(length)
        var word: UInt64 = 0
        var bytesLeft = 0
        while text.count < length {
            if bytesLeft == 0 {
                word = generator.next()
                bytesLeft = 8
            }
            let byte = Int(word & 0xff)
            word >>= 8
            bytesLeft -= 1
            if byte < limit { text.append(alphabet[byte % alphabet.count]) }
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let keyAlphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
    private static let hexAlphabet = Array("0123456789abcdef".utf8)

    // MARK: Upload grants

    func grant(assetKey: String, segment: String, at date: Date) -> UploadGrant {
        let token = SandboxState.randomText(length: 40, alphabet: SandboxState.hexAlphabet)
        let grant = UploadGrant(
            token: token, assetKey: assetKey, uploadKey: SandboxState.randomKey(length: 8), segment: segment,
            issuedAt: date)
        grants[token] = grant
        progress[token] = .starting
        return grant
    }

    func grant(for token: String) -> UploadGrant? { grants[token] }

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

    /// The window of `route` without counting a call (for answers to calls that were refused before
    /// they counted, such as a bad signature).
    func peekCalls(_ route: String, limit: Int, window length: Int64 = 60, now: Date) -> (remaining: Int, reset: Int64)
    {
        let second = Int64(now.timeIntervalSince1970.rounded(.down))
        let start = second - second % length
        let count = rateWindows[route].map { $0.start == start ? $0.count : 0 } ?? 0
        return (max(0, limit - count), start + length)
    }

    /// Counts a call of `route` in its window of `length` seconds and returns the window: limit, remaining after this call, reset time, and
    /// whether this call is over the limit.
    func countCall(
        _ route: String, limit: Int, window length: Int64 = 60, now: Date
    ) -> (remaining: Int, reset: Int64, exceeded: Bool) {
        let second = Int64(now.timeIntervalSince1970.rounded(.down))
        let start = second - second % length
        var window = rateWindows[route] ?? (start, 0)
        if window.start != start { window = (start, 0) }
        window.count += 1
        rateWindows[route] = window
        return (max(0, limit - window.count), start + length, window.count > limit)
    }

    /// Counts a call of `route` that ran, or was refused for the rate limit.
    func tally(_ route: String, refused: Bool, at date: Date, window: Int64) {
        tallies[route, default: CallTally()].count(refused: refused, at: date, window: window)
    }

    // MARK: Progress

    func setProgress(_ token: String, _ state: ProgressState) { progress[token] = state }

    func progress(for token: String) -> ProgressState? { progress[token] }
}

// MARK: Assets that belong to a video (v2 thumbnails and text tracks)

extension SandboxState {
    /// What came of ``createDependent(kind:of:limit:at:_:)``.
    enum DependentCreation: Sendable, Hashable {
        /// The new asset.
        case created(SandboxAsset)
        /// The video does not exist (or is not a video).
        case noVideo
        /// The video has `limit` assets of the kind already.
        case full(limit: Int)
    }

    /// Creates an asset of `kind` for the video `videoKey` under a fresh key in one step: the video is
    /// checked to exist and to have fewer than `limit` assets of `kind`, so that neither a concurrent delete
    /// nor concurrent creates get past the check.
    func createDependent(
        kind: String, of videoKey: String, limit: Int?, at date: Date,
        _ fill: @Sendable (inout SandboxAsset) -> Void = { _ in }
    ) -> DependentCreation {
        guard assets[videoKey]?.kind == "video" else { return .noVideo }
        if let limit, dependents(of: videoKey, kind: kind).count >= limit { return .full(limit: limit) }
        var asset = SandboxAsset(key: newKey(), kind: kind, createdAt: date)
        asset.videoKey = videoKey
        fill(&asset)
        insert(asset)
        return .created(asset)
    }

    /// The assets of `kind` that belong to the video `videoKey`, in the order they were created.
    func dependents(of videoKey: String, kind: String) -> [SandboxAsset] {
        order.compactMap { assets[$0] }.filter { $0.kind == kind && $0.videoKey == videoKey }
    }

    /// What came of ``setPoster(_:_:at:)``.
    enum PosterChange: Sendable, Hashable {
        /// The thumbnail as it is now.
        case changed(SandboxAsset)
        /// There is no thumbnail `key`.
        case noThumbnail
        /// The thumbnail has no image to show: none arrived yet, or the one that did failed.
        case noImage(failure: String?)
    }

    /// Makes the thumbnail `key` its video's poster (`isPoster`), in one step: every other thumbnail of the
    /// video stops being it. With `isPoster` false the thumbnail stops being the poster (the video then has
    /// none). A thumbnail becomes the poster only once its image arrived and was not refused.
    func setPoster(_ key: String, _ isPoster: Bool, at date: Date) -> PosterChange {
        guard var thumbnail = assets[key], thumbnail.kind == "thumbnail" else { return .noThumbnail }
        if isPoster {
            guard thumbnail.uploadedAt != nil, thumbnail.failure == nil else {
                return .noImage(failure: thumbnail.failure)
            }
            for other in assets.values
            where other.kind == "thumbnail" && other.videoKey == thumbnail.videoKey && other.key != key
                && other.poster
            {
                assets[other.key]?.poster = false
                assets[other.key]?.modifiedAt = date
            }
        }
        if thumbnail.poster != isPoster {
            thumbnail.poster = isPoster
            thumbnail.modifiedAt = date
        }
        assets[key] = thumbnail
        return .changed(thumbnail)
    }
}
