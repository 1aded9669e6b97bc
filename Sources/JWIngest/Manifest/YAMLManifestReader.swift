import Yams

/// Reads a YAML or JSON manifest (JSON is read as the YAML it also is) into a ``ManifestNode`` tree with
/// the line and column of every value.
enum YAMLManifestReader {
    /// Parses `text`; `file` names the manifest in positions.
    ///
    /// - Throws: ``ManifestError`` with the parser's position and problem.
    static func read(_ text: String, file: String) throws -> ManifestNode {
        // Before any tree is built: an alias bomb would never finish building it.
        try YAMLAliasBudget.check(text, file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)  // tags unused: no regex run on every scalar
        } catch let error as YamlError {
            throw ManifestError(problems: [problem(error, file: file)])
        }
        guard let root else {
            throw ManifestError(problems: [
                ManifestProblem("the manifest is empty; see the README for an example", at: SourcePosition(file: file))
            ])
        }
        return convert(root, file: file)
    }

    private static func convert(_ node: Node, file: String) -> ManifestNode {
        switch node {
        case .scalar(let scalar):
            let position = self.position(scalar.mark, file: file)
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                return .null(position)
            }
            return .scalar(scalar.string, quoted: scalar.style != .plain, position)
        case .mapping(let mapping):
            let entries = mapping.map { pair in
                let keyPosition = position(pair.key.mark, file: file)
                return (
                    key: pair.key.string ?? "\(pair.key)", keyPosition: keyPosition,
                    value: convert(pair.value, file: file)
                )
            }
            return .mapping(entries, position(mapping.mark, file: file))
        case .sequence(let sequence):
            return .sequence(sequence.map { convert($0, file: file) }, position(sequence.mark, file: file))
        case .alias(let alias):
            return .null(position(alias.mark, file: file))
        }
    }

    private static func position(_ mark: Mark?, file: String) -> SourcePosition {
        SourcePosition(file: file, line: mark?.line, column: mark?.column)
    }

    private static func problem(_ error: YamlError, file: String) -> ManifestProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return ManifestProblem(
                "not valid YAML or JSON: \(what)", at: SourcePosition(file: file, line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ManifestProblem(
                "the key \(duplicates.joined(separator: ", ")) is written twice in one mapping; keep one",
                at: SourcePosition(file: file, line: context.mark.line, column: context.mark.column))
        default:
            return ManifestProblem("not valid YAML or JSON: \(error)", at: SourcePosition(file: file))
        }
    }
}
