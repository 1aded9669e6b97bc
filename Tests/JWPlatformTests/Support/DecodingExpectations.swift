import JWPlatform
import Testing

/// The ``AnswerDecodingError`` that `body` throws, or `nil` when it returns; any other error is recorded
/// as a test issue.
func decodingError(_ body: () throws -> APIValue) -> AnswerDecodingError? {
    do {
        _ = try body()
        return nil
    } catch let error as AnswerDecodingError {
        return error
    } catch {
        Issue.record("not an AnswerDecodingError: \(error)")
        return nil
    }
}

/// Expects `format` to refuse `bytes` with `code`, naming itself in the error; returns the error.
@discardableResult
func expectRefusal(
    by format: any AnswerFormat, of bytes: [UInt8], _ code: AnswerDecodingError.Code,
    sourceLocation: SourceLocation = #_sourceLocation
) -> AnswerDecodingError? {
    let error = #expect(throws: AnswerDecodingError.self, sourceLocation: sourceLocation) {
        try format.decode(bytes)
    }
    #expect(error?.code == code, "\(String(describing: error))", sourceLocation: sourceLocation)
    #expect(error?.format == format.name, sourceLocation: sourceLocation)
    return error
}
