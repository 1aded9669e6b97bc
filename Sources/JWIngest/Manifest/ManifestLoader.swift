import Foundation

extension Manifest {
    /// Reads and checks the structure of a manifest: YAML (`.yaml`, `.yml`), JSON (`.json`) or CSV (`.csv`).
    ///
    /// Paths in it are resolved against its folder. Whether the files exist and what they hold is checked by
    /// ``ItemChecker``.
    ///
    /// - Parameters:
    ///   - url: The manifest file.
    ///   - displayName: How positions name the file; the path as given by default.
    /// - Throws: ``ManifestError`` with every problem found, each with its file, line and column (or CSV
    ///   row and column), the item id and, for an unknown key, the nearest known one.
    public static func load(from url: URL, displayName: String? = nil) throws -> Manifest {
        let (manifest, problems) = try read(from: url, displayName: displayName)
        guard problems.isEmpty else { throw ManifestError(problems: problems) }
        return manifest
    }

    /// Reads a manifest as far as it can be read, returning the problems of structure beside it instead of
    /// throwing them, so that ``ManifestValidation`` can report them together with the items' own.
    ///
    /// - Throws: ``ManifestError`` when nothing can be read: an unreadable file, bad syntax, a root that is
    ///   not a mapping.
    public static func read(from url: URL, displayName: String? = nil) throws -> (Manifest, [ManifestProblem]) {
        let name = displayName ?? url.relativePath
        let data: Data
        do {
            data = try ManifestFile.read(url)
        } catch let error as ManifestFile.Refusal {
            throw ManifestError(problems: [ManifestProblem(error.description, at: SourcePosition(file: name))])
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw ManifestError(problems: [
                ManifestProblem("the manifest is not UTF-8 text; save it as UTF-8", at: SourcePosition(file: name))
            ])
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try parseAll(text, source: url.standardizedFileURL, displayName: name)
    }

    /// Parses manifest text; the extension of `source` picks the syntax (`.csv` for CSV, else YAML/JSON).
    ///
    /// - Throws: ``ManifestError`` with every problem of structure.
    public static func parse(_ text: String, source: URL, displayName: String? = nil) throws -> Manifest {
        let (manifest, problems) = try parseAll(text, source: source, displayName: displayName)
        guard problems.isEmpty else { throw ManifestError(problems: problems) }
        return manifest
    }

    static func parseAll(
        _ text: String, source: URL, displayName: String? = nil
    ) throws -> (Manifest, [ManifestProblem]) {
        let name = displayName ?? source.lastPathComponent
        let root: ManifestNode
        switch source.pathExtension.lowercased() {
        case "csv": root = try CSVManifestReader.read(text, file: name)
        default: root = try YAMLManifestReader.read(text, file: name)
        }
        var decoder = ManifestDecoder(source: source, displayName: name)
        let manifest = try decoder.decode(root)
        return (manifest, decoder.values.problems)
    }

}
