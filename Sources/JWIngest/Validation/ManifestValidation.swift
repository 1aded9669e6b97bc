import Foundation

/// Every check that needs no network, over a whole manifest: its structure, its pipeline, and each
/// item's files and content. `jwingest validate` and `jwingest run --dry-run` print the result.
public struct ManifestValidation: Sendable {
    /// The manifest as far as it could be read; `nil` when nothing could be.
    public var manifest: Manifest?
    /// Every problem, structure first, then the items' in manifest order.
    public var problems: [ManifestProblem]
    /// What the checks found per item id (sizes, durations).
    public var checks: [String: ItemChecker.Result]

    /// Whether nothing is wrong.
    public var isValid: Bool { problems.isEmpty }

    /// Reads `url` and runs every check.
    ///
    /// - Parameters:
    ///   - url: The manifest.
    ///   - displayName: How positions name the file.
    ///   - registry: The stages the pipeline may name.
    ///   - overrides: Options and pipeline given on the command line, applied before anything is checked.
    ///   - selection: The items to check (`--only`, `--include`, …); the others are left out.
    public static func run(
        _ url: URL, displayName: String? = nil, registry: StageRegistry = .standard,
        overrides: ManifestOverrides = ManifestOverrides(), selection: ItemSelection = ItemSelection()
    ) -> ManifestValidation {
        let manifest: Manifest
        var problems: [ManifestProblem]
        do {
            (manifest, problems) = try Manifest.read(from: url, displayName: displayName)
        } catch let error as ManifestError {
            return ManifestValidation(manifest: nil, problems: error.problems, checks: [:])
        } catch {
            return ManifestValidation(
                manifest: nil, problems: [ManifestProblem("\(error)", at: SourcePosition(file: url.path))], checks: [:])
        }
        var adjusted = manifest
        do {
            try overrides.apply(to: &adjusted)
        } catch let error as ManifestError {
            problems += error.problems
        } catch {
            problems.append(ManifestProblem("\(error)", at: SourcePosition(file: "the command line")))
        }
        do {
            adjusted = try selection.apply(to: adjusted)
        } catch let error as ManifestError {
            problems += error.problems
        } catch {
            problems.append(ManifestProblem("\(error)", at: SourcePosition(file: "the command line")))
        }
        do {
            _ = try registry.resolve(adjusted.pipeline, options: adjusted.options)
        } catch let error as ManifestError {
            problems += error.problems
        } catch {
            problems.append(ManifestProblem("\(error)", at: SourcePosition(file: url.path)))
        }
        let checker = ItemChecker(options: adjusted.options)
        var checks: [String: ItemChecker.Result] = [:]
        for item in adjusted.items {
            let result = checker.check(item)
            checks[item.id] = result
            problems += result.problems
        }
        return ManifestValidation(manifest: adjusted, problems: problems, checks: checks)
    }
}
