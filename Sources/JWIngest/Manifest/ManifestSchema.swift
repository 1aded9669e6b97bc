/// The names a version-1 manifest knows, for checks and "did you mean" hints.
enum ManifestSchema {
    static let topLevel = ["version", "defaults", "options", "pipeline", "items"]
    static let item = [
        "id", "file", "url", "kind", "title", "description", "author", "tags", "date", "link", "custom", "thumbnail",
        "tracks", "redirect",
    ]
    static let defaults = item.filter { !["id", "file", "url"].contains($0) }
    static let options = [
        "upload_method", "api_format", "concurrency", "stage_limits", "retries", "max_size", "min_duration",
        "api", "multipart_threshold", "part_size", "part_concurrency", "max_duration",
    ]
    static let track = ["file", "kind", "label", "language"]
    static let redirect = ["address", "query", "key_in_path"]
    static let trackKinds = ["captions", "chapters"]
}
