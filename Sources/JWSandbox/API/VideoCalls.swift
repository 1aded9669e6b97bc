import Foundation
import JWPlatform

/// `/videos/create`, `/videos/update`, `/videos/show`, `/videos/list`, `/videos/delete`.
enum VideoCalls {
    static func create(_ parameters: APIParameters, _ context: SandboxContext) async throws -> APIValue {
        let key = await context.state.newKey()
        var asset = SandboxAsset(key: key, kind: "video", createdAt: context.now)
        try MetadataParameters.apply(parameters, to: &asset)
        var answer: APIValue = ["media": ["type": "video", "key": .string(key)], "video": ["key": .string(key)]]
        if let source = parameters["download_url"] {
            guard !source.isEmpty else { throw SandboxError(.parameterEmpty, "download_url: is empty") }
            try DownloadFetcher.validate(source)
            await context.state.insert(asset)
            DownloadFetcher.start(source, assetKey: key, context: context)
            return answer
        }
        if parameters["sourcetype"] == "url" {
            guard parameters["sourceurl"]?.isEmpty == false else { throw SandboxError.missing("sourceurl") }
            await context.state.insert(asset)
            return answer
        }
        await context.state.insert(asset)
        answer = try await withLink(answer, parameters, key: key, segment: "videos", context)
        return answer
    }

    static func update(_ parameters: APIParameters, _ context: SandboxContext) async throws -> APIValue {
        let key = try requiredKey("video_key", parameters)
        let updated = try await context.state.update(key) { asset in
            guard asset.kind == "video" else { throw SandboxError.notFound("video_key", key) }
            try MetadataParameters.apply(parameters, to: &asset)
        }
        guard updated != nil else { throw SandboxError.notFound("video_key", key) }
        var answer: APIValue = ["video": ["key": .string(key)]]
        if let updateFile = parameters["update_file"] {
            guard ["true", "1"].contains(updateFile.lowercased()) else {
                if ["false", "0"].contains(updateFile.lowercased()) { return answer }
                throw SandboxError.invalid("update_file", "must be True or False")
            }
            answer = try await withLink(answer, parameters, key: key, segment: "videos", context)
        }
        return answer
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
        _ = await context.state.remove(key)
        if let path = asset.storedPath { try? FileManager.default.removeItem(atPath: path) }
        return [:]
    }

    // MARK: Shared pieces

    /// Adds a link block (regular or S3, per `upload_method`) to `answer`.
    static func withLink(
        _ answer: APIValue, _ parameters: APIParameters, key: String, segment: String, _ context: SandboxContext
    ) async throws -> APIValue {
        guard case .object(var object) = answer else { return answer }
        switch parameters["upload_method"] {
        case nil, "": object["link"] = await context.uploadLink(segment: segment, assetKey: key)
        case "s3": object["link"] = await context.s3Link(assetKey: key)
        case let other?: throw SandboxError.invalid("upload_method", "\(other.debugDescription) is not s3")
        }
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

    /// `search:custom.<name>=<value>` matches a custom field exactly; `search:<field>` and `search` match
    /// title, description, author or tags containing the text, case-insensitively.
    static func matches(_ asset: SandboxAsset, _ search: APIParameters.Parameter) -> Bool {
        let field = search.name.hasPrefix("search:") ? String(search.name.dropFirst("search:".count)) : ""
        if field.hasPrefix("custom.") { return asset.custom[String(field.dropFirst("custom.".count))] == search.value }
        let needle = search.value.lowercased()
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
