import Foundation

/// Sends the parts of a multipart upload that the platform does not hold yet, up to ``concurrency`` at a
/// time, each streamed from disk with its MD5 computed in the same pass and checked against the part's
/// `ETag`; then, once every part is verified, calls `complete` once.
///
/// Resuming: the parts listing says which parts the platform stores (their `etag`). A stored part whose
/// MD5 the caller recorded (``recorded``) and that matches is skipped without reading the file; a stored
/// part without a record is read and compared. A stored part whose MD5 differs from the local bytes means
/// the file changed since the upload began: ``PartMismatchError`` is thrown and nothing is completed, so
/// that a mixed file is never made (the caller starts a new upload).
public struct PartSender: Sendable {
    /// The client that sends.
    public var client: V2Client
    /// The upload.
    public var upload: MultipartUpload
    /// The file and its parts.
    public var plan: MultipartPlan
    /// The file.
    public var file: URL
    /// Parts in flight at most.
    public var concurrency: Int
    /// The MD5 of each part already sent and verified by an earlier attempt, by part number.
    public var recorded: [Int: String]
    /// How one part is retried when its `PUT` fails or its `ETag` does not match.
    public var retry: RetryPolicy

    /// Creates a sender.
    public init(
        client: V2Client, upload: MultipartUpload, plan: MultipartPlan, file: URL, concurrency: Int = 4,
        recorded: [Int: String] = [:], retry: RetryPolicy = .standard
    ) {
        self.client = client
        self.upload = upload
        self.plan = plan
        self.file = file
        self.concurrency = max(1, concurrency)
        self.recorded = recorded
        self.retry = retry
    }

    /// What a send did.
    public struct Outcome: Sendable, Hashable {
        /// The MD5 of every part, by number.
        public var partMD5s: [Int: String]
        /// The parts sent by this call (the others were stored already).
        public var sentParts: [Int]
        /// Bytes sent by this call.
        public var sentBytes: Int64
    }

    /// Sends the missing parts and completes the upload.
    ///
    /// - Parameters:
    ///   - partStored: Told of each part once its `ETag` matched, before the next one is counted done: the
    ///     caller records it (a journal checkpoint), so that a run killed later does not send it again.
    ///   - progress: Told of the bytes sent so far by this call.
    /// - Throws: ``PartMismatchError`` when a stored part is not the file's (the file changed),
    ///   ``FileReadError``, ``APIError``, ``UploadRejectedError`` or ``APITransportError`` once a part's
    ///   retries are spent.
    public func send(
        partStored: @escaping @Sendable (Int, String) async throws -> Void = { _, _ in },
        progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws -> Outcome {
        let parts = try await client.listParts(of: upload, count: plan.partCount)
        var md5s: [Int: String] = [:]
        var missing: [UploadPart] = []
        for part in parts {
            guard let etag = part.etag else {
                missing.append(part)
                continue
            }
            let local: String
            if let known = recorded[part.number] {
                local = known
            } else {
                local = try await FileDigest.md5(of: plan.range(of: part.number, in: file)).md5
            }
            guard local == etag else { throw PartMismatchError(part: part.number, stored: etag, local: local) }
            md5s[part.number] = local
        }
        let counter = ByteCounter()
        let sender = self
        try await withThrowingTaskGroup(of: (Int, String, Int64).self) { group in
            var pending = missing[...]
            func startNext() {
                guard let part = pending.popFirst() else { return }
                group.addTask {
                    let partBytes = PartBytes()
                    let digest = try await sender.sendPart(
                        part, progress: { counter.add(partBytes.delta(toTotal: $0), report: progress) })
                    try await partStored(part.number, digest.md5)
                    return (part.number, digest.md5, digest.size)
                }
            }
            for _ in 0..<concurrency { startNext() }
            while let (number, md5, _) = try await group.next() {
                md5s[number] = md5
                startNext()
            }
        }
        try await client.complete(upload)
        return Outcome(partMD5s: md5s, sentParts: missing.map(\.number), sentBytes: counter.total)
    }

    /// Sends one part, again while it fails retryably or its `ETag` is not the MD5 of what was sent.
    func sendPart(_ part: UploadPart, progress: @escaping @Sendable (Int64) -> Void) async throws -> FileDigest {
        let range = plan.range(of: part.number, in: file)
        let engine = RetryEngine(policy: retry)
        return try await engine.run("part \(part.number)") { _ in
            let result = try await client.put(range, to: part.link, progress: progress)
            guard result.matches else {
                throw PartDigestError(part: part.number, sent: result.sent.md5, etag: result.etag)
            }
            return result.sent
        }
    }
}

/// A part the platform stores is not the local file's part: the file changed since the upload began.
public struct PartMismatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The part's number.
    public var part: Int
    /// The MD5 the platform stores.
    public var stored: String
    /// The MD5 of the local bytes.
    public var local: String

    /// The text shown in messages and logs.
    public var description: String {
        "part \(part) of the upload holds MD5 \(stored) but the file's bytes have \(local): the file changed "
            + "since the upload began; a new upload is needed"
    }
}

/// A part's `ETag` is not the MD5 of what was sent: the bytes were damaged on the way. Retryable.
public struct PartDigestError: RetryableError, Sendable, Hashable, CustomStringConvertible {
    /// The part's number.
    public var part: Int
    /// The MD5 of what was sent.
    public var sent: String
    /// The `ETag` the platform answered.
    public var etag: String

    /// Always `true`: sending the part again may store it right.
    public var isRetryable: Bool { true }

    /// The text shown in messages and logs.
    public var description: String { "part \(part): sent MD5 \(sent) but the platform stored \(etag)" }
}

/// Bytes sent by parts in flight together, for one progress figure.
final class ByteCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var sum: Int64 = 0

    var total: Int64 { lock.withLock { sum } }

    /// Adds `bytes` newly sent and reports the total.
    func add(_ bytes: Int64, report: @Sendable (Int64) -> Void) {
        let now = lock.withLock {
            sum += bytes
            return sum
        }
        report(now)
    }
}

/// One part's bytes so far: turns the running total of each attempt into what is new since the last
/// report (an attempt that starts again counts from its own zero).
final class PartBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var last: Int64 = 0

    func delta(toTotal total: Int64) -> Int64 {
        lock.withLock {
            let delta = total >= last ? total - last : total
            last = total
            return delta
        }
    }
}
