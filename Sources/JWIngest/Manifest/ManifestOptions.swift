import Foundation
import JWPlatform

/// The `options:` of a manifest: how the run goes.
public struct ManifestOptions: Sendable, Hashable {
    /// `form` (multipart POST) or `s3` (presigned PUT).
    public var uploadMethod: UploadMethod
    /// The answer format asked of the API and the upload server.
    public var apiFormat: AnswerFormatName
    /// Items in flight at once.
    public var concurrency: Int
    /// Per-stage caps, e.g. `upload: 2`.
    public var stageLimits: [String: Int]
    /// Attempts after the first, per call, upload and verification.
    public var retries: Int
    /// The largest file accepted, in bytes.
    public var maxSize: Int64
    /// The shortest video accepted, in seconds.
    public var minDuration: Double
    /// The API generation the run speaks: `v1` (signed calls, form or S3 uploads) or `v2` (Bearer,
    /// direct or multipart uploads).
    public var api: APIGeneration
    /// On v2, files of at least this many bytes go as multipart uploads; smaller ones as one direct `PUT`.
    public var multipartThreshold: Int64
    /// On v2, the size of each part of a multipart upload but the last (at least 5 MiB).
    public var partSize: Int64
    /// On v2, the parts of one file in flight at once.
    public var partConcurrency: Int
    /// The run's time budget in seconds (`max_duration`): once spent, no new item starts and the run ends
    /// with exit code 4; `nil` for none.
    public var maxDuration: Double?

    /// 64 MiB: the default ``multipartThreshold``. A direct `PUT` cannot resume, so a file above it is cut
    /// into parts that can; below it a second call per file (the parts listing) and a `complete` cost more
    /// than a failed direct upload loses.
    public static let defaultMultipartThreshold: Int64 = 64 << 20
    /// 16 MiB: the default ``partSize``: a kill loses at most ``partConcurrency`` parts in flight (64 MiB by
    /// default), and 10,000 parts reach 160 GiB, beyond the platform's 25 GB, so it never has to be raised.
    public static let defaultPartSize: Int64 = 16 << 20
    /// The largest part size a manifest may set: 5 GiB, S3's limit for one `PUT`.
    public static let maximumPartSize: Int64 = 5 << 30

    /// 5 GiB: the platform's limit for the S3 method and the default limit.
    public static let s3MaxSize: Int64 = 5 << 30
    /// 25 GB: the largest limit a manifest may set for the form method.
    public static let formMaxSize: Int64 = 25_000_000_000

    /// The largest `max_size` these options allow: 5 GiB for the s3 method, 25 GB for the form method, and
    /// on v2 the multipart upload's 25 GB (25 × 1000 MiB, as the platform counts it).
    public var maxSizeCeiling: Int64 {
        if api == .v2 { return MultipartPlan.maximumFileSize }
        return uploadMethod == .s3 ? Self.s3MaxSize : Self.formMaxSize
    }

    /// What ``maxSizeCeiling`` is, in words, for messages.
    public var maxSizeCeilingText: String {
        if api == .v2 { return "v2's multipart uploads take at most 25 GB" }
        return uploadMethod == .s3 ? "the s3 method takes at most 5 GiB" : "the form method takes at most 25 GB"
    }

    /// Creates options; the defaults are those of the platform.
    public init(
        uploadMethod: UploadMethod = .form, apiFormat: AnswerFormatName = .json, concurrency: Int = 4,
        stageLimits: [String: Int] = [:], retries: Int = 3, maxSize: Int64 = ManifestOptions.s3MaxSize,
        minDuration: Double = 2, api: APIGeneration = .v1,
        multipartThreshold: Int64 = ManifestOptions.defaultMultipartThreshold,
        partSize: Int64 = ManifestOptions.defaultPartSize, partConcurrency: Int = 4
    ) {
        self.api = api
        self.multipartThreshold = multipartThreshold
        self.partSize = partSize
        self.partConcurrency = partConcurrency
        self.uploadMethod = uploadMethod
        self.apiFormat = apiFormat
        self.concurrency = concurrency
        self.stageLimits = stageLimits
        self.retries = retries
        self.maxSize = maxSize
        self.minDuration = minDuration
    }
}

/// One entry of the manifest's `pipeline:` list: a stage name and its options.
public struct PipelineStep: Sendable, Hashable {
    /// The stage's registered name.
    public var name: String
    /// Its options, as written (`timeout: 600`).
    public var options: [String: String]
    /// Where it is written.
    public var position: SourcePosition

    /// Creates a step.
    public init(name: String, options: [String: String] = [:], position: SourcePosition = SourcePosition(file: "")) {
        self.name = name
        self.options = options
        self.position = position
    }

    /// The pipeline when a manifest names none.
    public static let defaultNames = ["validate", "create", "upload", "verify", "thumbnail", "tracks"]
}

/// A parsed manifest.
public struct Manifest: Sendable, Hashable {
    /// The manifest file.
    public var source: URL
    /// The schema version (1).
    public var version: Int
    /// How the run goes.
    public var options: ManifestOptions
    /// The stages, in order.
    public var pipeline: [PipelineStep]
    /// The items, in the order written.
    public var items: [IngestItem]

    /// Creates a manifest.
    public init(
        source: URL, version: Int = 1, options: ManifestOptions = ManifestOptions(),
        pipeline: [PipelineStep] = PipelineStep.defaultNames.map { PipelineStep(name: $0) }, items: [IngestItem]
    ) {
        self.source = source
        self.version = version
        self.options = options
        self.pipeline = pipeline
        self.items = items
    }
}
