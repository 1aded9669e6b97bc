/// Stage names and how to make each stage from its pipeline entry. The manifest's `pipeline:` list is
/// resolved against it; built-ins are registered in ``standard``, and a library user adds theirs with
/// ``register(_:_:)`` before running.
public struct StageRegistry: Sendable {
    /// Makes a stage from its pipeline entry (the entry's options configure it) and the run's options.
    public typealias Factory = @Sendable (PipelineStep, ManifestOptions) throws -> any Stage

    private var factories: [String: Factory] = [:]
    private var order: [String] = []

    /// An empty registry.
    public init() {}

    /// The built-in stages: `validate`, `create`, `upload`, `verify`, `thumbnail`, `tracks`, `wait-ready`.
    public static var standard: StageRegistry {
        var registry = StageRegistry()
        registry.register("validate") { _, _ in ValidateStage() }
        registry.register("create") { _, _ in CreateStage() }
        registry.register("upload") { _, _ in UploadStage() }
        registry.register("verify") { _, _ in VerifyStage() }
        registry.register("thumbnail") { _, _ in ThumbnailStage() }
        registry.register("tracks") { _, _ in TracksStage() }
        registry.register("wait-ready") { step, _ in try WaitReadyStage(step: step) }
        return registry
    }

    /// Registers (or replaces) the stage called `name`.
    public mutating func register(_ name: String, _ factory: @escaping Factory) {
        if factories[name] == nil { order.append(name) }
        factories[name] = factory
    }

    /// Registers a stage that needs no options.
    public mutating func register(_ stage: some Stage) {
        register(stage.name) { _, _ in stage }
    }

    /// The registered names, in the order registered.
    public var names: [String] { order }

    /// The stages of `pipeline`, in order.
    ///
    /// - Throws: ``ManifestError`` naming each unknown stage (with the nearest known name), each stage
    ///   whose options are wrong, and each stage whose requirements (``Stage/requirements``) do not come
    ///   before it.
    public func resolve(_ pipeline: [PipelineStep], options: ManifestOptions) throws -> [any Stage] {
        var stages: [any Stage] = []
        var problems: [ManifestProblem] = []
        var seen: Set<String> = []
        for step in pipeline {
            guard seen.insert(step.name).inserted else {
                problems.append(ManifestProblem("the stage '\(step.name)' is listed twice", at: step.position))
                continue
            }
            guard let factory = factories[step.name] else {
                var message = "unknown stage '\(step.name)'"
                if let nearest = NearestName.suggestion(for: step.name, among: order) {
                    message += "; did you mean '\(nearest)'?"
                } else {
                    message += "; known stages: \(order.joined(separator: ", "))"
                }
                problems.append(ManifestProblem(message, at: step.position))
                continue
            }
            do {
                stages.append(try factory(step, options))
            } catch {
                problems.append(ManifestProblem("stage '\(step.name)': \(error)", at: step.position))
            }
        }
        if stages.isEmpty, problems.isEmpty {
            problems.append(
                ManifestProblem("the pipeline is empty", at: pipeline.first?.position ?? SourcePosition(file: "")))
        }
        // Each stage's requirements come before it: `create` before `upload` before `verify`, and those a
        // stage of one's own declares.
        let names = stages.map(\.name)
        for (position, stage) in stages.enumerated() {
            for required in stage.requirements where !names[..<position].contains(required) {
                let placement = names.contains(required) ? "before it, not after" : "before it"
                problems.append(
                    ManifestProblem(
                        "the stage '\(stage.name)' needs '\(required)' \(placement)",
                        at: pipeline.first { $0.name == stage.name }?.position ?? SourcePosition(file: "")))
            }
        }
        if !problems.isEmpty { throw ManifestError(problems: problems) }
        return stages
    }
}
