import JWPlatform

/// Applies the metadata parameters of `/videos/create` and `/videos/update` to an asset.
enum MetadataParameters {
    static func apply(_ parameters: APIParameters, to asset: inout SandboxAsset) throws {
        for parameter in parameters {
            switch parameter.name {
            case "title": asset.title = parameter.value
            case "description": asset.description = parameter.value
            case "author": asset.author = parameter.value
            case "link": asset.link = parameter.value
            case "tags":
                asset.tags = parameter.value.split(separator: ",").map { String($0.trimmingCharacters()) }
                    .filter { !$0.isEmpty }
            case "date":
                guard let date = Int64(parameter.value) else {
                    throw SandboxError.invalid("date", "not a Unix time")
                }
                asset.date = date
            case "md5":
                let md5 = parameter.value.lowercased()
                guard md5.count == 32, md5.allSatisfy(\.isHexDigit) else {
                    throw SandboxError.invalid("md5", "not 32 hexadecimal digits")
                }
                asset.declaredMD5 = md5
            case "size":
                guard let size = Int64(parameter.value), size >= 0 else {
                    throw SandboxError.invalid("size", "not a size in bytes")
                }
                asset.declaredSize = size
            default:
                if parameter.name.hasPrefix("custom.-") {
                    asset.custom[String(parameter.name.dropFirst("custom.-".count))] = nil
                } else if parameter.name.hasPrefix("custom.") {
                    let name = String(parameter.name.dropFirst("custom.".count))
                    guard !name.isEmpty else { throw SandboxError.invalid(parameter.name, "empty custom field name") }
                    asset.custom[name] = parameter.value
                }
            }
        }
    }
}

extension Substring {
    func trimmingCharacters() -> Substring {
        var slice = self
        while slice.first?.isWhitespace == true { slice = slice.dropFirst() }
        while slice.last?.isWhitespace == true { slice = slice.dropLast() }
        return slice
    }
}
