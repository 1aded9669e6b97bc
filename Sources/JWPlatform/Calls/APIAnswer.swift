/// A successful answer: the decoded tree, its HTTP status and its rate-limit block.
public struct APIAnswer: Sendable, Hashable {
    /// The call that was answered, e.g. `/videos/create`.
    public var call: String
    /// The HTTP status.
    public var httpStatus: Int
    /// The whole decoded answer.
    public var value: APIValue
    /// The `rate_limit` block, when the answer had one.
    public var rateLimit: RateLimit?

    /// A reader of the tree, for typed answers.
    public var reader: AnswerReader { AnswerReader(call: call, value: value) }

    /// Reads an answer body, turning `status: error` and unreadable bodies into errors.
    ///
    /// - Parameters:
    ///   - call: The call, for messages.
    ///   - httpStatus: The HTTP status.
    ///   - body: The whole body.
    ///   - format: The format that was asked for.
    /// - Throws: ``UnreadableAnswerError`` when the body is not in `format` (an HTML 502 page, an empty body),
    ///   ``APIError`` when the answer says `status: error` or the status is 400 or more.
    public init(call: String, httpStatus: Int, body: [UInt8], format: any AnswerFormat) throws {
        let tree: APIValue
        do {
            tree = try format.decode(body)
        } catch {
            let reason = body.isEmpty ? "the body is empty" : String(describing: error)
            throw UnreadableAnswerError(
                call: call, httpStatus: httpStatus, format: format.name, body: body, reason: reason)
        }
        let reader = AnswerReader(call: call, value: tree)
        let rateLimit = try? RateLimit(answer: reader)
        let status = tree["status"]?.text
        if status == "error" || httpStatus >= 400 || tree.objectValue == nil {
            guard tree.objectValue != nil else {
                throw UnreadableAnswerError(
                    call: call, httpStatus: httpStatus, format: format.name, body: body,
                    reason: "the answer is not an object")
            }
            let code =
                tree["code"]?.text.map(APIError.Code.init(rawValue:)) ?? APIError.Code(rawValue: "HTTP\(httpStatus)")
            throw APIError(
                code: code, title: tree["title"]?.text ?? "", message: tree["message"]?.text ?? "",
                httpStatus: httpStatus, call: call, rateLimit: rateLimit ?? nil)
        }
        self.call = call
        self.httpStatus = httpStatus
        self.value = tree
        self.rateLimit = rateLimit ?? nil
    }
}
