import Foundation
import JWPlatform

/// What every handler of the sandbox needs: its configuration, its state, where files go, and the address
/// its links point to.
struct SandboxContext: Sendable {
    var configuration: SandboxConfiguration
    var state: SandboxState
    /// The folder that holds stored files.
    var storage: URL
    /// Where the server listens, once bound.
    var addressBox: AddressBox
    /// The address the current request was sent to (its `Host`), when the sandbox listens on a wildcard
    /// address: links then lead back the way the client came, not to `0.0.0.0`.
    var requestAddress: String?

    /// `host:port` as links carry it.
    var address: String { requestAddress ?? addressBox.address }

    /// This context for a request whose `Host` header is `host`: a sandbox bound to a wildcard address
    /// answers with links to that address (when it is a plain `host[:port]`), any other with its own.
    func answering(host: String?) -> SandboxContext {
        guard configuration.isWildcard, let host, Self.isPlainAuthority(host) else { return self }
        var copy = self
        copy.requestAddress = host.contains(":") || host.hasPrefix("[") ? host : "\(host):\(addressBox.port)"
        return copy
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port`, with nothing that could change a URL's meaning.
    static func isPlainAuthority(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 255
            && text.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || ".-:[]".unicodeScalars.contains($0))
            }
    }

    var now: Date { configuration.clock.now }

    /// `https` when the sandbox serves TLS, else `http`: the scheme of its links.
    var scheme: String { configuration.tls == nil ? "http" : "https" }

    /// A link block for a form upload to `segment` for `assetKey`, with a fresh single-use token.
    func uploadLink(segment: String, assetKey: String) async -> APIValue {
        let grant = await state.grant(assetKey: assetKey, segment: segment, at: now)
        return [
            "protocol": .string(scheme), "address": .string(address), "path": .string("/v1/\(segment)/upload"),
            "query": ["key": .string(grant.uploadKey), "token": .string(grant.token)],
        ]
    }

    /// A presigned S3-style link for `assetKey`: the signature is a single-use secret.
    func s3Link(assetKey: String) async -> APIValue {
        let grant = await state.grant(assetKey: assetKey, segment: "s3", at: now)
        let expires = Int64((grant.issuedAt.timeIntervalSince1970 + configuration.tokenLifetime).rounded(.down))
        return [
            "protocol": .string(scheme), "address": .string(address), "path": .string("/s3/\(assetKey)"),
            "query": [
                "AWSAccessKeyId": .string(configuration.credentials.key), "Expires": .int(expires),
                "Signature": .string(Self.s3Signature(for: grant.token)),
            ],
        ]
    }

    /// The S3 signature shown for a grant token: base64 of its bytes, so it carries `+`, `/` and `=`
    /// like a real one and must be percent-encoded in the URL.
    static func s3Signature(for token: String) -> String {
        var bytes: [UInt8] = []
        var index = token.startIndex
        while index < token.endIndex, let next = token.index(index, offsetBy: 2, limitedBy: token.endIndex) {
            bytes.append(UInt8(token[index..<next], radix: 16) ?? 0)
            index = next
        }
        return Data(bytes).base64EncodedString()
    }

    /// The grant token behind an S3 signature.
    static func token(forS3Signature signature: String) -> String? {
        guard let data = Data(base64Encoded: signature) else { return nil }
        return Hex.encode(data)
    }

    /// A new place to store a file of `assetKey`: each upload gets its own name, so two uploads to one
    /// asset never write over each other; the asset's record says which one is current.
    func storedFile(for assetKey: String) -> URL {
        storage.appendingPathComponent("\(assetKey)-\(UUID().uuidString.prefix(8))")
    }
}
