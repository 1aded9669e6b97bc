import ArgumentParser
import JWIngest
import JWPlatform

/// The manifest's options and pipeline given on the command line: what a CSV manifest (which has no
/// `options:` or `pipeline:`) runs with, and what overrides a YAML or JSON manifest's own for one run.
struct ManifestOverrideOptions: ParsableArguments {
    @Option(help: "Items in flight at once (options.concurrency).") var concurrency: Int?
    @Option(help: ArgumentHelp("form or s3 (options.upload_method).", valueName: "method"))
    var uploadMethod: String?
    @Option(help: ArgumentHelp("json, xml, php or py (options.api_format).", valueName: "format"))
    var format: String?
    @Option(help: ArgumentHelp("Retries of a call, upload or verification (options.retries).", valueName: "n"))
    var retries: Int?
    @Option(
        help: ArgumentHelp(
            "The largest file accepted, e.g. 5GiB or 500MB (options.max_size).", valueName: "size"))
    var maxSize: String?
    @Option(
        help: ArgumentHelp("The shortest video accepted, in seconds (options.min_duration).", valueName: "seconds"))
    var minDuration: Double?
    @Option(
        help: ArgumentHelp(
            "The stages, in order, e.g. validate,create,upload,verify,wait-ready:timeout=300 (pipeline).",
            valueName: "stages"))
    var pipeline: String?
    @Option(
        name: .customLong("stage-limit"),
        help: ArgumentHelp(
            "At most N items in a stage at once, e.g. upload=2 (options.stage_limits); repeatable.",
            valueName: "stage=N"))
    var stageLimits: [String] = []
    @Option(help: ArgumentHelp("v1 or v2: the API generation to ingest with (options.api).", valueName: "generation"))
    var api: APIGeneration?
    @Option(
        help: ArgumentHelp(
            "On v2, files of at least this size go as multipart uploads, e.g. 64MiB (options.multipart_threshold).",
            valueName: "size"))
    var multipartThreshold: String?
    @Option(
        help: ArgumentHelp(
            "On v2, the size of each part of a multipart upload, 5MiB to 5GiB, e.g. 16MiB (options.part_size).",
            valueName: "size"))
    var partSize: String?
    @Option(
        help: ArgumentHelp(
            "On v2, the parts of one file in flight at once, 1 to 64 (options.part_concurrency).", valueName: "n"))
    var partConcurrency: Int?
    @Option(
        help: ArgumentHelp(
            "The run's time budget, e.g. 6h, 90m, 1h30m: then no new item starts; exit 4 (options.max_duration).",
            valueName: "time"))
    var maxDuration: String?

    func validate() throws {
        _ = try overrides()
    }

    /// The overrides these options ask for.
    ///
    /// - Throws: `ValidationError` for a value that cannot be read.
    func overrides() throws -> ManifestOverrides {
        var overrides = ManifestOverrides()
        if let concurrency {
            guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 256") }
            overrides.concurrency = concurrency
        }
        if let uploadMethod {
            guard ["form", "s3"].contains(uploadMethod) else {
                throw ValidationError("--upload-method must be form or s3, not '\(uploadMethod)'")
            }
            overrides.uploadMethod = uploadMethod == "s3" ? .s3 : .form
        }
        if let format {
            guard AnswerFormatRegistry.standard[AnswerFormatName(rawValue: format)] != nil else {
                throw ValidationError("--format must be json, xml, php or py, not '\(format)'")
            }
            overrides.apiFormat = AnswerFormatName(rawValue: format)
        }
        if let retries {
            guard (0...100).contains(retries) else { throw ValidationError("--retries must be 0 to 100") }
            overrides.retries = retries
        }
        if let maxSize {
            guard let bytes = ManifestOverrides.byteSize(maxSize), bytes > 0 else {
                throw ValidationError("--max-size must be a size like 5368709120, 500MB or 5GiB, not '\(maxSize)'")
            }
            overrides.maxSize = bytes
        }
        if let minDuration {
            guard minDuration >= 0, minDuration.isFinite else {
                throw ValidationError("--min-duration must be 0 or more")
            }
            overrides.minDuration = minDuration
        }
        overrides.api = api
        if let maxDuration {
            guard let seconds = RunDuration.seconds(maxDuration) else {
                throw ValidationError("--max-duration must be a time like 6h, 90m or 1h30m, not '\(maxDuration)'")
            }
            overrides.maxDuration = seconds
        }
        if let multipartThreshold {
            guard let bytes = ManifestOverrides.byteSize(multipartThreshold), bytes > 0 else {
                throw ValidationError(
                    "--multipart-threshold must be a size like 64MiB or 100000000, not '\(multipartThreshold)'")
            }
            overrides.multipartThreshold = bytes
        }
        if let partSize {
            guard let bytes = ManifestOverrides.byteSize(partSize), bytes > 0 else {
                throw ValidationError("--part-size must be a size like 16MiB or 5242880, not '\(partSize)'")
            }
            overrides.partSize = bytes
        }
        if let partConcurrency {
            guard (1...64).contains(partConcurrency) else {
                throw ValidationError("--part-concurrency must be 1 to 64")
            }
            overrides.partConcurrency = partConcurrency
        }
        do {
            if let pipeline { overrides.pipeline = try ManifestOverrides.pipeline(pipeline) }
            for text in stageLimits {
                let (stage, limit) = try ManifestOverrides.stageLimit(text)
                overrides.stageLimits[stage] = limit
            }
        } catch let error as ManifestError {
            throw ValidationError(error.problems.map(\.message).joined(separator: "; "))
        }
        return overrides
    }
}
