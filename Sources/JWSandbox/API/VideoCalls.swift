import Foundation
import JWPlatform

/// `/videos/create`, `/videos/update`, `/videos/show`, `/videos/list`, `/videos/delete`.
enum VideoCalls {
    static func create(_ parameters: APIParameters, _ context: SandboxContext) async throws -> APIValue {
        // Everything is checked before the asset exists, so a refused create leaves nothing behind.
        let method = try uploadMethod(parameters)
        var probe = SandboxAsset(key: "", kind: "video", createdAt: context.now)
        try MetadataParameters.apply(parameters, to: &probe)
        let source = parameters["download_url"]
        if let source {
            guard !source.isEmpty else { throw SandboxError(.parameterEmpty, "download_url: is empty") }
            try DownloadFetcher.validate(source)
        }
        let byURL = parameters["sourcetype"] == "url"
        if byURL, parameters["sourceurl"]?.isEmpty != false { throw SandboxError.missing("sourceurl") }
        let asset = try await context.state.create(kind: "video", at: context.now) { asset in
            try MetadataParameters.apply(parameters, to: &asset)
        }
        let key = asset.key
        let answer: APIValue = ["media": ["type": "video", "key": .string(key)], "video": ["key": .string(key)]]
        if let source {
            DownloadFetcher.start(source, assetKey: key, context: context)
            return answer
        }
        if byURL { return answer }
        return await withLink(answer, method: method, key: key, segment: "videos", context)
    }

    static func update(_ parameters: APIParameters, _ context: SandboxContext) async throws -> APIValue {
        let key = try requiredKey("video_key", parameters)
        var wantsFile = false
        if let updateFile = parameters["update_file"] {
            switch updateFile.lowercased() {
            case "true", "1": wantsFile = true
            case "false", "0": wantsFile = false
            default: throw SandboxError.invalid("update_file", "must be True or False")
            }
        }
        let method = try uploadMethod(parameters)
        guard let current = await context.state.asset(key), current.kind == "video" else {
            throw SandboxError.notFound("video_key", key)
        }
        if wantsFile {
            // API.md §3: a new file goes to a video in `ready` state (or one already `updating`, whose new
            // file's link was lost: it gets a fresh link); otherwise the client creates anew.
            let state = status(of: current, context)
            guard state == "ready" || state == "updating" else {
                throw SandboxError(
                    .preconditionFailed,
                    "update_file: the video is \(state); only a ready or updating video takes a new file")
            }
        }
        let awaitingNewFile = wantsFile
        let updated = try await context.state.update(key) { asset in
            try MetadataParameters.apply(parameters, to: &asset)
            if awaitingNewFile { asset.awaitingNewFile = true }
        }
        guard updated != nil else { throw SandboxError.notFound("video_key", key) }
        let answer: APIValue = ["video": ["key": .string(key)]]
        return wantsFile ? await withLink(answer, method: method, key: key, segment: "videos", context) : answer
    }

    static func show(_ parameters: APIParameters, _ context: SandboxContext) async throws -> APIValue {
        let key = try requiredKey("video_key", parameters)
        guard let asset = await context.state.asset(key), asset.kind == "video" else {
            throw SandboxError.notFound("video_key", key)
        }
        return ["video": tree(of: asset, context)]
    }

    static func list(_ parameters: APIParameters, _ context: SandboxContext) async throws -> APIValue {
        let limit = try integer("result_limit", parameters, default: 50, range: 1...1000)
        let offset = try integer("result_offset", parameters, default: 0, range: 0...Int.max)
        let searches = parameters.filter { $0.name.hasPrefix("search") }
        let videos = await context.state.allAssets().filter { asset in
            asset.kind == "video" && searches.allSatisfy { matches(asset, $0) }
        }
        let page = videos.dropFirst(offset).prefix(limit)
        return [
            "videos": .array(page.map { tree(of: $0, context) }), "total": .int(Int64(videos.count)),
            "limit": .int(Int64(limit)), "offset": .int(Int64(offset)),
        ]
    }

    static func delete(_ parameters: APIParameters, _ context: SandboxContext) async throws -> APIValue {
        let key = try requiredKey("video_key", parameters)
        guard let asset = await context.state.asset(key), asset.kind == "video" else {
            throw SandboxError.notFound("video_key", key)
        }
        let removed = await context.state.remove(asset.key)
        guard !removed.isEmpty else { throw SandboxError.notFound("video_key", key) }
        for path in removed.compactMap(\.storedPath) { try? FileManager.default.removeItem(atPath: path) }
        return [:]
    }

    // MARK: Shared pieces

    /// The upload method asked for: `nil` (the regular form upload) or `s3`.
    static func uploadMethod(_ parameters: APIParameters) throws -> String? {
        switch parameters["upload_method"] {
        case nil, "": return nil
        case "s3": return "s3"
        case let other?: throw SandboxError.invalid("upload_method", "\(other.debugDescription) is not s3")
        }
    }

    /// Adds a link block (regular, or S3 when `method` is `s3`) to `answer`.
    static func withLink(
        _ answer: APIValue, method: String?, key: String, segment: String, _ context: SandboxContext
    )
        async -> APIValue
    {
        guard case .object(var object) = answer else { return answer }
        object["link"] =
            method == "s3"
            ? await context.s3Link(assetKey: key) : await context.uploadLink(segment: segment, assetKey: key)
        return .object(object)
    }

    static func requiredKey(_ name: String, _ parameters: APIParameters) throws -> String {
        guard let key = parameters[name] else { throw SandboxError.missing(name) }
        guard !key.isEmpty else { throw SandboxError(.parameterEmpty, "\(name): is empty") }
        return key
    }

    static func integer(
        _ name: String, _ parameters: APIParameters, default value: Int, range: ClosedRange<Int>
    )
        throws -> Int
    {
        guard let text = parameters[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw SandboxError.invalid(name, "must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    /// A text search, as the platform's: `search:custom.<name>=<value>` matches a custom field containing the
    /// text, `search:<field>` and `search` title, description, author or tags containing it, all
    /// case-insensitively. So `ingest_id=a1` also finds `a10` and `xa1`: a client must filter for the exact
    /// value, and read every page.
    static func matches(_ asset: SandboxAsset, _ search: APIParameters.Parameter) -> Bool {
        let field = search.name.hasPrefix("search:") ? String(search.name.dropFirst("search:".count)) : ""
        let needle = search.value.lowercased()
        if field.hasPrefix("custom.") {
            return asset.custom[String(field.dropFirst("custom.".count))]?.lowercased().contains(needle) == true
        }
        let texts: [String?]
        switch field {
        case "title": texts = [asset.title]
        case "description": texts = [asset.description]
        case "author": texts = [asset.author]
        case "tags": texts = asset.tags
        default: texts = [asset.title, asset.description, asset.author] + asset.tags
        }
        return texts.contains { $0?.lowercased().contains(needle) == true }
    }

    /// The status the platform would report now: `created` until a file arrives, `processing` for a
    /// while after, then `ready`, or `failed` when the file is not media or too short.
    static func status(of asset: SandboxAsset, _ context: SandboxContext) -> String {
        if asset.awaitingNewFile { return "updating" }
        guard let uploadedAt = asset.uploadedAt else { return "created" }
        if context.now.timeIntervalSince(uploadedAt) < context.configuration.processingTime { return "processing" }
        return asset.failure == nil ? "ready" : "failed"
    }

    static func tree(of asset: SandboxAsset, _ context: SandboxContext) -> APIValue {
        var object = APIObject()
        object["key"] = .string(asset.key)
        object["status"] = .string(status(of: asset, context))
        object["title"] = .string(asset.title ?? "")
        object["description"] = .string(asset.description ?? "")
        object["author"] = .string(asset.author ?? "")
        object["tags"] = .string(asset.tags.joined(separator: ", "))
        object["link"] = .string(asset.link ?? "")
        object["date"] = asset.date.map(APIValue.int) ?? .null
        object["md5"] = asset.md5.map(APIValue.string) ?? .null
        object["size"] = asset.size.map { .string(String($0)) } ?? .null
        object["duration"] = asset.duration.map { .string(String(format: "%.2f", $0)) } ?? .string("0.00")
        object["custom"] = .object(
            APIObject(asset.custom.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        if status(of: asset, context) == "failed", let failure = asset.failure {
            object["error"] = ["message": .string(failure)]
        }
        return .object(object)
    }
}
