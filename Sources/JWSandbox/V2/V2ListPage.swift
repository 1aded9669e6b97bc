import JWPlatform

/// The paging of a v2 list: `page` (from 1), `page_length` (10 by default, at most 10,000) and `sort`
/// (`created:dsc` by default, or `created:asc`), over items kept in creation order; the answer is
/// `{<name>: […], "page", "page_length", "total"}` (docs.jwplayer.com "Listing Media").
struct V2ListPage: Sendable, Hashable {
    var page = 1
    var length = 10
    var ascending = false

    /// The paging `query` asks for.
    ///
    /// - Throws: ``V2Error`` `400 invalid_query_parameter` naming `page`, `page_length` or `sort`.
    init(_ query: APIParameters) throws(V2Error) {
        page = try V2Endpoint.integer("page", query, default: 1, range: 1...Int.max)
        length = try V2Endpoint.integer("page_length", query, default: 10, range: 1...10_000)
        switch query["sort"] ?? "created:dsc" {
        case "created:dsc", "created": ascending = false
        case "created:asc": ascending = true
        case let other: throw .invalidQuery("sort", "\"\(other)\" is not created:asc or created:dsc")
        }
    }

    /// The answer listing this page of `assets` (given in creation order) under `name`, each shown by
    /// `object`.
    func reply(_ name: String, _ assets: [SandboxAsset], _ object: (SandboxAsset) -> APIObject) -> V2Reply {
        var sorted = assets.enumerated().map { $0 }
        // Creation order breaks ties between items created in the same instant.
        sorted.sort { ($0.element.createdAt, $0.offset) < ($1.element.createdAt, $1.offset) }
        if !ascending { sorted.reverse() }
        let start = (page - 1).multipliedReportingOverflow(by: length)
        let shown = start.overflow ? [] : sorted.dropFirst(start.partialValue).prefix(length)
        return .json(
            200,
            [
                name: .array(shown.map { .object(object($0.element)) }), "page": .int(Int64(page)),
                "page_length": .int(Int64(length)), "total": .int(Int64(assets.count)),
            ])
    }
}
