/// The headers of one part of a `multipart/form-data` body.
///
/// RFC 7578 §4.2: every part has a `Content-Disposition: form-data` with the field's `name`, and a
/// `filename` when it carries a file; its `Content-Type` defaults to `text/plain` when absent.
public struct MultipartPartHeaders: Sendable, Hashable {
    /// The form field's name: the `name` parameter of `Content-Disposition`.
    public var name: String
    /// The `filename` parameter of `Content-Disposition`, if sent. `filename*` is not read.
    public var filename: String?
    /// The part's `Content-Type` value as sent (trimmed), or `nil` when the part has none.
    public var contentType: String?
    /// Every header line of the part, in order.
    public var fields: [MultipartHeaderField]

    /// Creates part headers.
    ///
    /// - Parameters:
    ///   - name: The form field's name.
    ///   - filename: The file's name, if the part carries one.
    ///   - contentType: The part's `Content-Type` value, if any.
    ///   - fields: Every header line of the part, in order.
    public init(
        name: String,
        filename: String? = nil,
        contentType: String? = nil,
        fields: [MultipartHeaderField] = []
    ) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.fields = fields
    }

    /// The value of the first header with this name, compared without regard to case.
    ///
    /// - Parameter name: A header name such as `Content-Type`.
    /// - Returns: The header's value, trimmed, or `nil` if the part has no such header.
    public func value(of name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }
}

/// One header line of a part: a name and its value.
public struct MultipartHeaderField: Sendable, Hashable {
    /// The header's name as sent.
    public var name: String
    /// The header's value, with the whitespace around it removed and folded lines joined by a space.
    public var value: String

    /// Creates a header field.
    ///
    /// - Parameters:
    ///   - name: The header's name.
    ///   - value: The header's value.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
