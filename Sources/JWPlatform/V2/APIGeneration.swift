/// Which generation of the Management API a client speaks.
public enum APIGeneration: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The signed v1 API (`api_key`, `api_signature`), `https://api.jwplatform.com/v1/…`.
    case v1
    /// The v2 API with Bearer authentication and JSON bodies, `https://api.jwplayer.com/v2/…`.
    case v2

    /// The text shown in messages and logs.
    public var description: String { rawValue }
}
