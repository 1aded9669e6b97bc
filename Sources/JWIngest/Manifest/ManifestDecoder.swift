import Foundation
import JWPlatform

/// Turns a ``ManifestNode`` tree into a ``Manifest``, collecting every problem of structure: unknown keys
/// (with the nearest known one), wrong types, a missing or repeated id, a missing `file`/`url`, options out
/// of range. Whether files exist and what they contain is the ``ItemChecker``'s work.
struct ManifestDecoder {
    let source: URL
    let file: String
    var values = ManifestValueReader()

    /// The folder that relative paths are resolved against: worked out once, not for every item's file
    /// (half a percent of a 1,000-item run's CPU, issue 14).
    let folder: URL

    init(source: URL, displayName: String) {
        self.source = source
        self.file = displayName
        folder = source.deletingLastPathComponent()
    }

    /// Decodes what can be decoded; the problems found are in ``values``' `problems`. Items with a
    /// problem of their own are left out or decoded as far as possible.
    ///
    /// - Throws: ``ManifestError`` only when the root is not a mapping.
    mutating func decode(_ root: ManifestNode) throws -> Manifest {
        guard case .mapping = root else {
            throw ManifestError(problems: [
                ManifestProblem(
                    "a manifest is a mapping with version, options, pipeline and items, not \(root.kindDescription)",
                    at: root.position)
            ])
        }
        values.checkKeys(root, known: ManifestSchema.topLevel, in: "the manifest")
        let version = values.integer(root["version"], "version", in: 1...1) ?? 1
        if root["version"] == nil {
            values.report("version is missing; write 'version: 1' at the top", at: root.position)
        }
        let options = decodeOptions(root["options"])
        let pipeline = decodePipeline(root["pipeline"])
        checkStageLimits(root["options"]?["stage_limits"], pipeline: pipeline)
        let defaults = root["defaults"]
        if let defaults {
            values.checkKeys(defaults, known: ManifestSchema.defaults, in: "defaults")
            _ = values.mapping(defaults, "defaults")
        }
        var items: [IngestItem] = []
        var firstPosition: [String: SourcePosition] = [:]
        switch root["items"] {
        case .sequence(let elements, _)?:
            for element in elements {
                guard let item = decodeItem(element, defaults: defaults) else { continue }
                if let earlier = firstPosition[item.id] {
                    values.report(
                        "the id is used twice (first at \(earlier)); ids must be unique", at: item.position,
                        item: item.id)
                    continue
                }
                firstPosition[item.id] = item.position
                items.append(item)
            }
            if elements.isEmpty { values.report("items is empty; list at least one item", at: root.position) }
        case nil, .null?:
            values.report("items is missing; list the media under 'items:'", at: root.position)
        case let other?:
            values.report("items must be a list, not \(other.kindDescription)", at: other.position)
        }
        return Manifest(source: source, version: version, options: options, pipeline: pipeline, items: items)
    }

    private mutating func decodeOptions(_ node: ManifestNode?) -> ManifestOptions {
        var options = ManifestOptions()
        guard let node, values.mapping(node, "options") != nil else { return options }
        values.checkKeys(node, known: ManifestSchema.options, in: "options")
        decodeV2Options(node, into: &options)
        if let method = values.text(node["upload_method"], "upload_method") {
            switch method {
            case "form": options.uploadMethod = .form
            case "s3": options.uploadMethod = .s3
            default:
                values.report(
                    "upload_method must be form or s3, not \(method.debugDescription)",
                    at: node["upload_method"]!.position)
            }
        }
        if let format = values.text(node["api_format"], "api_format") {
            if AnswerFormatRegistry.standard.names.contains(AnswerFormatName(rawValue: format)) {
                options.apiFormat = AnswerFormatName(rawValue: format)
            } else {
                values.report(
                    "api_format must be json, xml, php or py, not \(format.debugDescription)",
                    at: node["api_format"]!.position)
            }
        }
        options.concurrency = values.integer(node["concurrency"], "concurrency", in: 1...256) ?? options.concurrency
        options.retries = values.integer(node["retries"], "retries", in: 0...100) ?? options.retries
        options.minDuration = values.seconds(node["min_duration"], "min_duration") ?? options.minDuration
        if let limits = node["stage_limits"], let entries = values.mapping(limits, "stage_limits") {
            for entry in entries {
                if let limit = values.integer(entry.value, "stage_limits.\(entry.key)", in: 1...256) {
                    options.stageLimits[entry.key] = limit
                }
            }
        }
        if let sizeNode = node["max_size"], let size = values.byteSize(sizeNode, "max_size") {
            if size > options.maxSizeCeiling {
                values.report(
                    "max_size \(size) is above the platform's limit: \(options.maxSizeCeilingText)",
                    at: sizeNode.position)
            } else {
                options.maxSize = size
            }
        }
        return options
    }

    /// `api`, `multipart_threshold`, `part_size` and `part_concurrency`; `upload_method` is v1's alone.
    private mutating func decodeV2Options(_ node: ManifestNode, into options: inout ManifestOptions) {
        if let api = values.text(node["api"], "api") {
            if let generation = APIGeneration(rawValue: api) {
                options.api = generation
            } else {
                values.report("api must be v1 or v2, not \(api.debugDescription)", at: node["api"]!.position)
            }
        }
        if options.api == .v2, let method = node["upload_method"] {
            values.report(
                "upload_method is v1's (form or s3); on v2 files under multipart_threshold go as one direct "
                    + "upload and larger ones as multipart uploads: remove upload_method", at: method.position)
        }
        if let threshold = values.byteSize(node["multipart_threshold"], "multipart_threshold") {
            options.multipartThreshold = threshold
        }
        if let partNode = node["part_size"], let size = values.byteSize(partNode, "part_size") {
            if size < MultipartPlan.minimumPartSize || size > ManifestOptions.maximumPartSize {
                values.report(
                    "part_size \(size) is outside the platform's part sizes: 5 MiB (5242880) to 5 GiB",
                    at: partNode.position)
            } else {
                options.partSize = size
            }
        }
        options.partConcurrency =
            values.integer(node["part_concurrency"], "part_concurrency", in: 1...64) ?? options.partConcurrency
        if let durationNode = node["max_duration"], let text = values.text(durationNode, "max_duration") {
            if let seconds = RunDuration.seconds(text) {
                options.maxDuration = seconds
            } else {
                values.report(
                    "max_duration must be a time like 6h, 90m, 1h30m or a number of seconds, not \(text.debugDescription)",
                    at: durationNode.position)
            }
        }
    }

    /// A cap on a stage the pipeline does not have is a typo that would silently lift the cap.
    private mutating func checkStageLimits(_ node: ManifestNode?, pipeline: [PipelineStep]) {
        guard case .mapping(let entries, _)? = node else { return }
        let names = pipeline.map(\.name)
        for entry in entries where !names.contains(entry.key) {
            var message = "stage_limits names '\(entry.key)', which is not in the pipeline"
            if let nearest = NearestName.suggestion(for: entry.key, among: names) {
                message += "; did you mean '\(nearest)'?"
            }
            values.report(message, at: entry.keyPosition)
        }
    }

    private mutating func decodePipeline(_ node: ManifestNode?) -> [PipelineStep] {
        guard let node else { return PipelineStep.defaultNames.map { PipelineStep(name: $0) } }
        guard case .sequence(let elements, _) = node else {
            values.report("pipeline must be a list of stage names, not \(node.kindDescription)", at: node.position)
            return []
        }
        var steps: [PipelineStep] = []
        for element in elements {
            switch element {
            case .scalar(let name, _, let position):
                steps.append(PipelineStep(name: name, position: position))
            case .mapping(let entries, let position):
                guard let name = values.text(element["name"], "the stage's name") else {
                    values.report("a pipeline entry written as a mapping needs 'name:'", at: position)
                    continue
                }
                var options: [String: String] = [:]
                for entry in entries where entry.key != "name" {
                    if let text = values.text(entry.value, "\(name).\(entry.key)") { options[entry.key] = text }
                }
                steps.append(PipelineStep(name: name, options: options, position: position))
            default:
                values.report("a pipeline entry is a stage name or {name: …, option: …}", at: element.position)
            }
        }
        return steps
    }

    /// The item's mapping with the defaults merged in: the item's values win; `custom` merges key by key.
    private func merged(_ node: ManifestNode, defaults: ManifestNode?) -> ManifestNode {
        guard case .mapping(var entries, let position) = node, case .mapping(let defaultEntries, _)? = defaults else {
            return node
        }
        for entry in defaultEntries {
            if let index = entries.firstIndex(where: { $0.key == entry.key }) {
                if entry.key == "custom", case .mapping(let own, let ownPosition) = entries[index].value,
                    case .mapping(let inherited, _) = entry.value
                {
                    let missing = inherited.filter { field in !own.contains { $0.key == field.key } }
                    entries[index].value = .mapping(missing + own, ownPosition)
                }
            } else {
                entries.append(entry)
            }
        }
        return .mapping(entries, position)
    }

    private mutating func decodeItem(_ raw: ManifestNode, defaults: ManifestNode?) -> IngestItem? {
        guard case .mapping = raw else {
            values.report(
                "each item is a mapping with at least id and file, not \(raw.kindDescription)", at: raw.position)
            return nil
        }
        let rawID = values.text(raw["id"], "id")
        let id = rawID?.trimmingCharacters(in: .whitespaces) ?? ""
        let label: String? = id.isEmpty ? nil : id
        values.checkKeys(raw, known: ManifestSchema.item, in: "an item", item: label)
        guard !id.isEmpty else {
            values.report("the item has no id; give every item a unique 'id:'", at: raw.position)
            return nil
        }
        let node = merged(raw, defaults: defaults)
        let kindText = values.text(node["kind"], "kind", item: id) ?? "video"
        guard let kind = ItemKind.all.first(where: { $0.rawValue == kindText }) else {
            values.report(
                "kind must be video, image or skin, not \(kindText.debugDescription)",
                at: node["kind"]?.position ?? raw.position,
                item: id)
            return nil
        }
        let fileText = values.text(node["file"], "file", item: id)
        let urlText = values.text(node["url"], "url", item: id)
        let source: MediaSource
        switch (fileText, urlText) {
        case (let path?, nil) where !path.isEmpty:
            source = .file(resolve(path))
        case (nil, let address?) where !address.isEmpty:
            guard let scheme = URLComponents(string: address)?.scheme?.lowercased(), ["http", "https"].contains(scheme)
            else {
                values.report(
                    "url must be an http(s) address, not \(address.debugDescription)", at: node["url"]!.position,
                    item: id)
                return nil
            }
            guard kind == .video else {
                values.report(
                    "url (a fetch upload) is for videos only; give a file for a \(kind)", at: node["url"]!.position,
                    item: id)
                return nil
            }
            source = .url(address)
        case (.some, .some):
            values.report("give either file or url, not both", at: raw.position, item: id)
            return nil
        default:
            values.report("the item has neither file nor url; say where its media is", at: raw.position, item: id)
            return nil
        }
        var metadata = VideoMetadata()
        metadata.title = values.text(node["title"], "title", item: id)
        metadata.description = values.text(node["description"], "description", item: id)
        metadata.author = values.text(node["author"], "author", item: id)
        metadata.tags = values.textList(node["tags"], "tags", item: id) ?? []
        metadata.date = values.date(node["date"], "date", item: id)
        metadata.link = values.text(node["link"], "link", item: id)
        let custom = values.textMap(node["custom"], "custom", item: id) ?? []
        for (name, _) in custom where name == "ingest_id" {
            values.report(
                "custom.ingest_id is set by jwingest from the item's id; remove it", at: node["custom"]!.position,
                item: id)
        }
        metadata.custom = custom.map { APIParameters.Parameter(name: $0.0, value: $0.1) }
        let thumbnail = values.text(node["thumbnail"], "thumbnail", item: id).map(resolve)
        let tracks = decodeTracks(node["tracks"], item: id)
        let redirect = decodeRedirect(node["redirect"], item: id)
        if kind != .video, thumbnail != nil || !tracks.isEmpty {
            values.report("thumbnail and tracks belong to videos; a \(kind) has neither", at: raw.position, item: id)
        }
        return IngestItem(
            id: id, source: source, kind: kind, metadata: metadata, thumbnail: thumbnail, tracks: tracks,
            redirect: redirect, position: raw.position)
    }

    private mutating func decodeTracks(_ node: ManifestNode?, item: String) -> [TrackSpec] {
        guard let node else { return [] }
        guard case .sequence(let elements, _) = node else {
            if case .null = node { return [] }
            values.report("tracks must be a list of {file, kind, label, language}", at: node.position, item: item)
            return []
        }
        var tracks: [TrackSpec] = []
        for element in elements {
            values.checkKeys(element, known: ManifestSchema.track, in: "a track", item: item)
            guard values.mapping(element, "a track", item: item) != nil else { continue }
            guard let path = values.text(element["file"], "the track's file", item: item), !path.isEmpty else {
                values.report("a track needs file:", at: element.position, item: item)
                continue
            }
            let kind = values.text(element["kind"], "the track's kind", item: item) ?? "captions"
            guard ManifestSchema.trackKinds.contains(kind) else {
                values.report(
                    "a track's kind must be captions or chapters, not \(kind.debugDescription)", at: element.position,
                    item: item)
                continue
            }
            let metadata = TrackMetadata(
                kind: kind, label: values.text(element["label"], "label", item: item),
                language: values.text(element["language"], "language", item: item))
            let track = TrackSpec(file: resolve(path), metadata: metadata, position: element.position)
            guard !tracks.contains(where: { $0.identity == track.identity }) else {
                values.report(
                    "the same \(kind) track (\(metadata.language ?? "no language"), \(track.file.lastPathComponent)) is listed twice",
                    at: element.position, item: item)
                continue
            }
            tracks.append(track)
        }
        return tracks
    }

    private mutating func decodeRedirect(_ node: ManifestNode?, item: String) -> UploadRedirect? {
        guard let node else { return nil }
        values.checkKeys(node, known: ManifestSchema.redirect, in: "redirect", item: item)
        guard values.mapping(node, "redirect", item: item) != nil else { return nil }
        guard let address = values.text(node["address"], "redirect.address", item: item) else {
            values.report("redirect needs address:", at: node.position, item: item)
            return nil
        }
        let query = values.textMap(node["query"], "redirect.query", item: item) ?? []
        return UploadRedirect(
            address: address, query: query.map { APIParameters.Parameter(name: $0.0, value: $0.1) },
            keyInPath: values.boolean(node["key_in_path"], "redirect.key_in_path", item: item))
    }

    /// The file at `path`, relative to the manifest's folder unless absolute. Named as a file without
    /// asking the disk: Foundation would otherwise `stat` each path to see whether it is a folder (one
    /// system call an item, issue 14); `validate` says what the path really is.
    private func resolve(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path, isDirectory: false).standardizedFileURL }
        return folder.appendingPathComponent(path, isDirectory: false).standardizedFileURL
    }
}
