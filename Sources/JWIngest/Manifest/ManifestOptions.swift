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

    /// 5 GiB: the platform's limit for the S3 method and the default limit.
    public static let s3MaxSize: Int64 = 5 << 30
    /// 25 GB: the largest limit a manifest may set for the form method.
    public static let formMaxSize: Int64 = 25_000_000_000

    /// Creates options; the defaults are those of the platform.
    public init(
        uploadMethod: UploadMethod = .form, apiFormat: AnswerFormatName = .json, concurrency: Int = 4,
        stageLimits: [String: Int] = [:], retries: Int = 3, maxSize: Int64 = ManifestOptions.s3MaxSize,
        minDuration: Double = 2
    ) {
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
