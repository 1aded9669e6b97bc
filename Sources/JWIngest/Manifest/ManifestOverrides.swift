import JWPlatform

/// Options given outside the manifest, on the command line, which win over the manifest's own: how a
/// CSV manifest (which has no `options:` or `pipeline:`) gets them, and how a YAML or JSON manifest is
/// adjusted for one run. Every member is optional; `nil` keeps the manifest's value.
public struct ManifestOverrides: Sendable, Hashable {
    /// `upload_method`.
    public var uploadMethod: UploadMethod?
    /// `api_format`.
    public var apiFormat: AnswerFormatName?
    /// `concurrency`.
    public var concurrency: Int?
    /// `retries`.
    public var retries: Int?
    /// `max_size`, in bytes.
    public var maxSize: Int64?
    /// `min_duration`, in seconds.
    public var minDuration: Double?
    /// The whole `pipeline:`.
    public var pipeline: [PipelineStep]?
    /// `stage_limits`, merged over the manifest's.
    public var stageLimits: [String: Int]
    /// `api`.
    public var api: APIGeneration?
    /// `multipart_threshold`, in bytes.
    public var multipartThreshold: Int64?
    /// `part_size`, in bytes.
    public var partSize: Int64?
    /// `part_concurrency`.
    public var partConcurrency: Int?
    /// `max_duration`, in seconds.
    public var maxDuration: Double?

    /// No overrides.
    public init(
        uploadMethod: UploadMethod? = nil, apiFormat: AnswerFormatName? = nil, concurrency: Int? = nil,
        retries: Int? = nil, maxSize: Int64? = nil, minDuration: Double? = nil, pipeline: [PipelineStep]? = nil,
        stageLimits: [String: Int] = [:], api: APIGeneration? = nil, multipartThreshold: Int64? = nil,
        partSize: Int64? = nil, partConcurrency: Int? = nil
    ) {
        self.api = api
        self.multipartThreshold = multipartThreshold
        self.partSize = partSize
        self.partConcurrency = partConcurrency
        self.uploadMethod = uploadMethod
        self.apiFormat = apiFormat
        self.concurrency = concurrency
        self.retries = retries
        self.maxSize = maxSize
        self.minDuration = minDuration
        self.pipeline = pipeline
        self.stageLimits = stageLimits
    }

    /// Applies the overrides to `manifest`, then checks what they touch as the manifest's own options are
    /// checked: every stage limit names a stage of the pipeline, and `max_size` is within the method's limit.
    ///
    /// - Throws: ``ManifestError`` naming each problem (with the nearest stage name for a typo).
    public func apply(to manifest: inout Manifest) throws {
        var options = manifest.options
        if let uploadMethod { options.uploadMethod = uploadMethod }
        if let apiFormat { options.apiFormat = apiFormat }
        if let concurrency { options.concurrency = concurrency }
        if let retries { options.retries = retries }
        if let maxSize { options.maxSize = maxSize }
        if let minDuration { options.minDuration = minDuration }
        if let api { options.api = api }
        if let multipartThreshold { options.multipartThreshold = multipartThreshold }
        if let partSize { options.partSize = partSize }
        if let partConcurrency { options.partConcurrency = partConcurrency }
        if let maxDuration { options.maxDuration = maxDuration }
        options.stageLimits.merge(stageLimits) { $1 }
        if let pipeline { manifest.pipeline = pipeline }
        manifest.options = options
        let at = SourcePosition(file: "the command line")
        var problems: [ManifestProblem] = []
        let names = manifest.pipeline.map(\.name)
        // The manifest's own limits were checked against its own pipeline when it was read.
        let limited = pipeline == nil ? Array(stageLimits.keys) : Array(options.stageLimits.keys)
        for name in limited.sorted() where !names.contains(name) {
            var message =
                "the stage limit names '\(name)', which is not in the pipeline (\(names.joined(separator: ", ")))"
            if let nearest = NearestName.suggestion(for: name, among: names) {
                message += "; did you mean '\(nearest)'?"
            }
            problems.append(ManifestProblem(message, at: at))
        }
        if maxSize != nil || uploadMethod != nil || api != nil, options.maxSize > options.maxSizeCeiling {
            problems.append(
                ManifestProblem(
                    "max_size \(options.maxSize) is above the platform's limit: \(options.maxSizeCeilingText) "
                        + "(\(options.maxSizeCeiling) bytes)", at: at))
        }
        if options.api == .v2, uploadMethod != nil {
            problems.append(
                ManifestProblem(
                    "--upload-method is v1's (form or s3); on v2 files under --multipart-threshold go as one direct "
                        + "upload and larger ones as multipart uploads", at: at))
        }
        if let partSize, partSize < MultipartPlan.minimumPartSize || partSize > ManifestOptions.maximumPartSize {
            problems.append(
                ManifestProblem("--part-size \(partSize) is outside the platform's part sizes: 5 MiB to 5 GiB", at: at))
        }
        if !problems.isEmpty { throw ManifestError(problems: problems) }
    }

    /// A size like `5368709120`, `500MB` or `5GiB`, in bytes; `nil` when it is not one.
    public static func byteSize(_ text: String) -> Int64? { ManifestValueReader.parseByteSize(text) }

    /// A pipeline written on one line: stage names separated by commas, each with options after colons
    /// (`validate,create,upload,verify,wait-ready:timeout=300`).
    ///
    /// - Throws: ``ManifestError`` for an empty pipeline, an empty name or an option without `=`.
    public static func pipeline(_ text: String) throws -> [PipelineStep] {
        let at = SourcePosition(file: "--pipeline")
        var steps: [PipelineStep] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard let name = pieces.first, !name.isEmpty else {
                throw ManifestError(problems: [
                    ManifestProblem("an empty stage name in \(text.debugDescription)", at: at)
                ])
            }
            var options: [String: String] = [:]
            for option in pieces.dropFirst() {
                guard let equals = option.firstIndex(of: "="), equals != option.startIndex else {
                    throw ManifestError(problems: [
                        ManifestProblem("the stage option \(option.debugDescription) is not name=value", at: at)
                    ])
                }
                options[String(option[..<equals])] = String(option[option.index(after: equals)...])
            }
            steps.append(PipelineStep(name: name, options: options, position: at))
        }
        return steps
    }

    /// A stage limit written `stage=N` (`upload=2`), N from 1 to 256.
    ///
    /// - Throws: ``ManifestError`` when it is not one.
    public static func stageLimit(_ text: String) throws -> (stage: String, limit: Int) {
        guard let equals = text.firstIndex(of: "="), let limit = Int(text[text.index(after: equals)...]),
            (1...256).contains(limit), equals != text.startIndex
        else {
            throw ManifestError(problems: [
                ManifestProblem(
                    "a stage limit is stage=N with N from 1 to 256 (upload=2), not \(text.debugDescription)",
                    at: SourcePosition(file: "--stage-limit"))
            ])
        }
        return (String(text[..<equals]), limit)
    }
}
