extension APIClient {
    /// Asks for an upload link for any of the five kinds of file: the one code path that
    /// ``createVideo(_:md5:size:method:extra:)``, ``createTrack(videoKey:_:md5:size:)``,
    /// ``updateThumbnail(videoKey:position:)`` and the account calls share.
    ///
    /// - Parameters:
    ///   - target: The kind of file, which gives the call and parameter names.
    ///   - key: With `useUpdateCall`, the key of the asset to update (sent as the target's key parameter);
    ///     otherwise the key of the asset the new file belongs to (the video of a thumbnail or track).
    ///   - parameters: The call's other parameters.
    ///   - useUpdateCall: Whether to call the target's update call (a new link for an existing asset).
    /// - Returns: The answer with its link block.
    public func requestUploadLink(
        _ target: UploadTarget, key: String? = nil, parameters: APIParameters = [:], useUpdateCall: Bool = false
    ) async throws -> CreateAnswer {
        guard !useUpdateCall || target.updateCall != nil else {
            throw UploadURLError(reason: "a \(target) has no update call; create a new one instead")
        }
        var all = APIParameters()
        if let key {
            let keyName = useUpdateCall ? target.keyParameter : (target.ownerKeyParameter ?? target.keyParameter)
            all.append(keyName, key)
        }
        all.append(contentsOf: parameters)
        let call = useUpdateCall ? (target.updateCall ?? target.createCall) : target.createCall
        let answer = try await self.call(call, parameters: all, method: .post)
        return try CreateAnswer(answer.reader)
    }

    /// `/videos/create`: creates a video and answers where to send its file.
    ///
    /// - Parameters:
    ///   - metadata: Title, tags, custom fields, …
    ///   - md5: The file's MD5, lower-case hex, when known.
    ///   - size: The file's size in bytes, when known.
    ///   - method: The upload method; `.s3` answers a presigned link.
    ///   - extra: Further parameters (`download_url`, `sourcetype`, …).
    public func createVideo(
        _ metadata: VideoMetadata, md5: String? = nil, size: Int64? = nil, method: UploadMethod = .form,
        extra: APIParameters = [:]
    ) async throws -> CreateAnswer {
        var parameters = metadata.parameters
        if let md5 { parameters.append("md5", md5) }
        if let size { parameters.append("size", size) }
        if let value = method.parameterValue { parameters.append("upload_method", value) }
        parameters.append(contentsOf: extra)
        return try await requestUploadLink(.video, parameters: parameters)
    }

    /// `/videos/update`: changes metadata; with `updateFile` it also answers a new upload link.
    ///
    /// - Parameters:
    ///   - key: The video key.
    ///   - metadata: The fields to change.
    ///   - deletingCustom: Custom fields to delete (sent as `custom.-<name>`).
    ///   - updateFile: Whether to ask for a new link (`update_file=True`).
    ///   - method: The upload method of the new link.
    public func updateVideo(
        key: String, _ metadata: VideoMetadata = VideoMetadata(), deletingCustom: [String] = [],
        updateFile: Bool = false, method: UploadMethod = .form
    ) async throws -> CreateAnswer {
        var parameters = metadata.parameters
        for name in deletingCustom { parameters.append("custom.-\(name)", "") }
        if updateFile {
            parameters.append("update_file", true)
            if let value = method.parameterValue { parameters.append("upload_method", value) }
        }
        return try await requestUploadLink(.video, key: key, parameters: parameters, useUpdateCall: true)
    }

    /// `/videos/show`: one video's state.
    public func showVideo(key: String) async throws -> VideoDetails {
        let answer = try await call("/videos/show", parameters: ["video_key": key])
        return try VideoDetails(answer.reader.required("video"))
    }

    /// `/videos/list`: videos matching a search.
    ///
    /// - Parameters:
    ///   - search: Search parameters without the `search:` prefix, e.g. `["custom.ingest_id": "a1"]`.
    ///   - limit: `result_limit`.
    ///   - offset: `result_offset`.
    public func listVideos(
        search: [(String, String)] = [], limit: Int? = nil, offset: Int? = nil
    ) async throws
        -> VideoListAnswer
    {
        var parameters = APIParameters()
        for (name, value) in search { parameters.append("search:\(name)", value) }
        if let limit { parameters.append("result_limit", limit) }
        if let offset { parameters.append("result_offset", offset) }
        return try VideoListAnswer(try await call("/videos/list", parameters: parameters).reader)
    }

    /// Reads every page of `/videos/list` for a search, in order, handing each page's videos to `body`.
    ///
    /// Pages are asked with `result_limit` and `result_offset` until the offset reaches the `total` the
    /// platform reports (or a page comes back empty): a search is a text search that may match many more
    /// videos than the one looked for, so a client that wants an exact match must read them all.
    ///
    /// - Parameters:
    ///   - search: Search parameters without the `search:` prefix, e.g. `[("custom.ingest_id", "a1")]`.
    ///   - pageSize: Videos per page, 1 to 1,000 (the platform's largest `result_limit`).
    ///   - body: Receives each page's videos.
    /// - Returns: How many pages were read.
    @discardableResult
    public func forEachVideoPage(
        search: [(String, String)] = [], pageSize: Int = 1000, _ body: ([VideoDetails]) throws -> Void
    ) async throws -> Int {
        var offset = 0
        var pages = 0
        while true {
            let page = try await listVideos(search: search, limit: min(max(pageSize, 1), 1000), offset: offset)
            pages += 1
            try body(page.videos)
            offset += page.videos.count
            if page.videos.isEmpty || Int64(offset) >= page.total { return pages }
        }
    }

    /// `/videos/delete`.
    public func deleteVideo(key: String) async throws {
        _ = try await call("/videos/delete", parameters: ["video_key": key], method: .post)
    }

    /// `/videos/thumbnails/update`: answers a link to send an image to, or with `position` picks a frame.
    ///
    /// - Parameters:
    ///   - videoKey: The video.
    ///   - position: Seconds into the video for a generated thumbnail; `nil` to send an image.
    public func updateThumbnail(videoKey: String, position: Double? = nil) async throws -> CreateAnswer {
        var parameters = APIParameters()
        if let position { parameters.append("position", APIValue.decimalText(position)) }
        return try await requestUploadLink(.thumbnail, key: videoKey, parameters: parameters)
    }

    /// `/videos/tracks/create`: creates a caption or chapter track and answers where to send its file.
    public func createTrack(
        videoKey: String, _ track: TrackMetadata, md5: String? = nil, size: Int64? = nil
    )
        async throws -> CreateAnswer
    {
        var parameters: APIParameters = ["kind": track.kind]
        if let label = track.label { parameters.append("label", label) }
        if let language = track.language { parameters.append("language", language) }
        if let md5 { parameters.append("md5", md5) }
        if let size { parameters.append("size", size) }
        return try await requestUploadLink(.track, key: videoKey, parameters: parameters)
    }

    /// `/accounts/images/create`, or `/accounts/images/update` when `key` is given.
    public func uploadLinkForImage(key: String? = nil, parameters: APIParameters = [:]) async throws -> CreateAnswer {
        try await requestUploadLink(.image, key: key, parameters: parameters, useUpdateCall: key != nil)
    }

    /// `/accounts/skins/create`, or `/accounts/skins/update` when `key` is given.
    public func uploadLinkForSkin(key: String? = nil, parameters: APIParameters = [:]) async throws -> CreateAnswer {
        try await requestUploadLink(.skin, key: key, parameters: parameters, useUpdateCall: key != nil)
    }
}
