import Foundation
import Testing

@testable import JWPlatform

@Suite("upload, S3 and progress URLs (API.md §3–§5)")
struct UploadURLTests {
    /// The link block of the platform's upload documentation (the seed).
    static let seedLink: APIValue = [
        "path": "/v1/videos/upload",
        "query": ["key": "vtQmcboj", "token": "e2bbad0fd889d5d2e30047596cfe3789778257d2"],
        "protocol": "http",
        "address": "upload.jwplatform.com",
    ]

    static func link(_ tree: APIValue) throws -> UploadLink {
        try UploadLink(AnswerReader(call: "/videos/create", value: tree, path: "link"))
    }

    @Test("the seed's link block, a redirect with two query parameters and key_in_path=True: one exact URL")
    func exactUploadURL() throws {
        let redirect = UploadRedirect(
            address: "http://example.com/path",
            query: [.init(name: "parameter1", value: "value1"), .init(name: "parameter2", value: "value 2&x")],
            keyInPath: true)
        let url = try UploadURLBuilder.formUpload(link: Self.link(Self.seedLink), format: .json, redirect: redirect)
        #expect(
            url.url
                == "https://upload.jwplatform.com/v1/videos/upload?api_format=json&key=vtQmcboj"
                + "&redirect_address=http%3A%2F%2Fexample.com%2Fpath&redirect_query.parameter1=value1"
                + "&redirect_query.parameter2=value%202%26x&key_in_path=True"
                + "&token=e2bbad0fd889d5d2e30047596cfe3789778257d2")
    }

    @Test("without redirect: api_format, key, token in that order")
    func plainUploadURL() throws {
        let url = try UploadURLBuilder.formUpload(link: Self.link(Self.seedLink), format: .xml)
        #expect(
            url.url
                == "https://upload.jwplatform.com/v1/videos/upload?api_format=xml&key=vtQmcboj"
                + "&token=e2bbad0fd889d5d2e30047596cfe3789778257d2")
    }

    @Test(
        "the https rule: http only on loopback or when allowed",
        arguments: [
            ("upload.jwplatform.com", TransportSecurity.strict, "https"),
            ("upload.jwplatform.com", TransportSecurity.allowingPlainHTTP, "http"),
            ("127.0.0.1:8080", TransportSecurity.strict, "http"),
            ("127.3.2.1", TransportSecurity.strict, "http"),
            ("localhost:9", TransportSecurity.strict, "http"),
            ("[::1]:8080", TransportSecurity.strict, "http"),
            ("127.0.0.1.evil.example", TransportSecurity.strict, "https"),
            ("10.0.0.1", TransportSecurity.strict, "https"),
        ])
    func httpsRule(address: String, security: TransportSecurity, scheme: String) throws {
        var tree = Self.seedLink
        if case .object(var object) = tree {
            object["address"] = .string(address)
            tree = .object(object)
        }
        let url = try UploadURLBuilder.formUpload(link: Self.link(tree), format: .json, security: security)
        #expect(url.url.hasPrefix(scheme + "://" + address + "/v1/videos/upload?"))
    }

    @Test("a link that already says https stays https, even on loopback")
    func httpsStays() {
        #expect(TransportSecurity.strict.scheme("https", address: "127.0.0.1:1") == "https")
    }

    @Test("the token is redacted in the description, kept in the URL")
    func tokenRedacted() throws {
        let link = try Self.link(Self.seedLink)
        let url = try UploadURLBuilder.formUpload(link: link, format: .json)
        #expect(url.url.contains("e2bbad0fd889d5d2e30047596cfe3789778257d2"))
        for text in [url.description, "\(url)", String(reflecting: url), link.description] {
            #expect(!text.contains("e2bbad0f"), "leaked in \(text)")
            #expect(text.contains("token=<redacted>"))
        }
    }

    @Test("redirect options the server would refuse are refused before any upload")
    func badRedirects() throws {
        let link = try Self.link(Self.seedLink)
        #expect(throws: UploadURLError.self) {
            try UploadURLBuilder.formUpload(
                link: link, format: .json, redirect: UploadRedirect(address: "ftp://example.com/x"))
        }
        #expect(throws: UploadURLError.self) {
            try UploadURLBuilder.formUpload(
                link: link, format: .json,
                redirect: UploadRedirect(
                    address: "https://example.com/x",
                    query: [.init(name: "a", value: "1"), .init(name: "a", value: "2")]))
        }
    }

    @Test("loopback addresses: 127.x.y.z, localhost in any case and ::1, with or without a port; nothing else")
    func loopbackAddresses() {
        for address in [
            "127.0.0.1", "127.0.0.1:8080", "127.255.0.9:1", "localhost", "LocalHost:80", "::1", "[::1]:8080",
        ] {
            #expect(TransportSecurity.isLoopback(address: address), "\(address)")
        }
        for address in [
            "128.0.0.1", "127.0.0.300", "127.0.0", "127.0.0.1.example", "localhost.example", "localhos",
            "[::2]:80", "example.com:127", "", "l\u{F6}calhost",
        ] {
            #expect(!TransportSecurity.isLoopback(address: address), "\(address)")
        }
    }

    @Test(
        "a link whose address or path could send the file elsewhere is refused",
        arguments: [
            ("127.0.0.1:80@evil.example", "/v1/videos/upload", "link.address"),
            ("evil.example/x?", "/v1/videos/upload", "link.address"),
            ("user:pw@host", "/v1/videos/upload", "link.address"),
            ("", "/v1/videos/upload", "link.address"),
            ("\u{E9}vil.example", "/v1/videos/upload", "link.address"),
            ("host:8\u{0660}", "/v1/videos/upload", "link.address"),
            ("host name", "/v1/videos/upload", "link.address"),
            ("upload.jwplatform.com", "v1/videos/upload", "link.path"),
            ("upload.jwplatform.com", "/v1/videos/upload?token=x", "link.path"),
            ("upload.jwplatform.com", "/v1/videos/upload#x", "link.path"),
            ("upload.jwplatform.com", "/v1/videos upload", "link.path"),
        ])
    func hostileLinks(address: String, path: String, field: String) {
        let tree: APIValue = [
            "protocol": "http", "address": .string(address), "path": .string(path),
            "query": ["key": "k", "token": "t"],
        ]
        do {
            _ = try Self.link(tree)
            Issue.record("accepted \(address) \(path)")
        } catch let error as AnswerShapeError {
            #expect(error.path == field)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("dump() of a link or URL does not show the token")
    func dumpRedacts() throws {
        let link = try Self.link(Self.seedLink)
        let url = try UploadURLBuilder.formUpload(link: link, format: .json)
        var text = ""
        dump(link, to: &text)
        dump(url, to: &text)
        #expect(!text.contains("e2bbad0f"))
        #expect(text.contains("<redacted>"))
    }

    @Test("secrets are hidden in trees and in raw answer text of every format")
    func redactionOfAnswers() throws {
        let tree: APIValue = [
            "link": ["query": ["key": "vtQmcboj", "token": "e2bbad0fd889d5d2e30047596cfe3789778257d2"]],
            "s3": ["Signature": "c2lnbmF0dXJlLXNlY3JldA=="],
        ]
        let redacted = Redaction.redact(tree: tree)
        #expect(redacted["link"]?["query"]?["token"] == "<redacted>")
        #expect(redacted["link"]?["query"]?["key"] == "vtQmcboj")
        #expect(redacted["s3"]?["Signature"] == "<redacted>")
        for format in AnswerFormatRegistry.standard.names {
            let bytes = try AnswerFormatRegistry.standard.format(named: format).encode(tree)
            let text = Redaction.redact(bodyText: String(decoding: bytes, as: UTF8.self))
            #expect(!text.contains("e2bbad0f"), "\(format): \(text)")
            #expect(!text.contains("c2lnbmF0"), "\(format): \(text)")
            #expect(text.contains("vtQmcboj"), "\(format): \(text)")
        }
        #expect(Redaction.redact(bodyText: "<html>token expired</html>") == "<html>token expired</html>")
    }

    @Test("a link without token or key cannot give an upload URL")
    func incompleteLink() throws {
        let link = UploadLink(scheme: "http", address: "upload.jwplatform.com", path: "/v1/videos/upload", query: [])
        #expect(throws: UploadURLError.self) { try UploadURLBuilder.formUpload(link: link, format: .json) }
        #expect(throws: UploadURLError.self) { try UploadURLBuilder.progress(link: link) }
    }

    @Test("a link block with a part missing is a shape error naming the part")
    func linkShape() {
        do {
            _ = try Self.link(["protocol": "http", "address": "a", "query": ["key": "k"]])
            Issue.record("expected an error")
        } catch let error as AnswerShapeError {
            #expect(error.path == "link.path")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("the S3 URL: AWSAccessKeyId, Expires, Signature percent-encoded; the signature redacted when shown")
    func s3URL() throws {
        let link = try Self.link([
            "protocol": "https", "address": "jwplatform-upload.s3.amazonaws.com", "path": "/tL17msiU",
            "query": ["AWSAccessKeyId": "AKIAEXAMPLE", "Expires": 1_700_000_000, "Signature": "ab+/cd="],
        ])
        #expect(link.isS3)
        let url = try UploadURLBuilder.s3Upload(link: link)
        #expect(
            url.url
                == "https://jwplatform-upload.s3.amazonaws.com/tL17msiU?AWSAccessKeyId=AKIAEXAMPLE"
                + "&Expires=1700000000&Signature=ab%2B%2Fcd%3D")
        #expect(!url.description.contains("ab%2B"))
    }

    @Test("the progress URL")
    func progressURL() throws {
        let url = try UploadURLBuilder.progress(link: Self.link(Self.seedLink), callback: "cb")
        #expect(
            url.url
                == "https://upload.jwplatform.com/progress?token=e2bbad0fd889d5d2e30047596cfe3789778257d2&callback=cb")
    }

    @Test(
        "JSON-P progress answers with single quotes",
        arguments: [
            ("fn({'state': 'starting'})", UploadProgress.starting),
            ("fn({'state': 'uploading', 'received': 1024, 'size': 4096})", .uploading(received: 1024, size: 4096)),
            ("callback({\"state\": \"done\"});", .done),
            ("fn({'state': 'error', 'status': 413})", .error(status: 413)),
            ("jQuery_1({'state' : 'uploading','received':'7','size':'9'})\n", .uploading(received: 7, size: 9)),
        ])
    func progressAnswers(text: String, expected: UploadProgress) throws {
        #expect(try UploadProgress(jsonp: Array(text.utf8)) == expected)
    }

    @Test(
        "unreadable progress answers are errors, not crashes",
        arguments: [
            "", "fn(", "<html>502</html>", "fn({'state': 'flying'})", "fn({'state': 'uploading'})", "fn('done')",
        ])
    func badProgressAnswers(text: String) {
        #expect(throws: ProgressAnswerError.self) { try UploadProgress(jsonp: Array(text.utf8)) }
    }

    @Test("the upload target table: five kinds, one shape")
    func uploadTargets() {
        #expect(
            UploadTarget.all.map(\.uploadPath) == [
                "/v1/videos/upload", "/v1/videos/thumbnails/upload", "/v1/videos/tracks/upload",
                "/v1/accounts/images/upload", "/v1/accounts/skins/upload",
            ])
        #expect(
            UploadTarget.all.map(\.keyParameter) == ["video_key", "video_key", "track_key", "image_key", "skin_key"])
        #expect(UploadTarget.all.map(\.itemParameter) == ["video", "video", "track", "image", "skin"])
        #expect(UploadTarget.named("skin") == .skin)
    }

    @Test("presigned-URL signatures, credentials, session tokens and user-info passwords are redacted in URLs")
    func redactionOfPresignedURLs() {
        let url =
            "https://user:hunter2secret@bucket.s3.amazonaws.com/v.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAEXAMPLE%2F20261203&X-Amz-Security-Token=FQoGZXIvYXdzsessiontoken"
            + "&X-Amz-Signature=4f5e6d7c8b9a&X-Goog-Signature=abc123goog&sig=azuresig%3D&se=2026-12-04"
        let shown = Redaction.redact(url: url)
        for secret in [
            "hunter2secret", "AKIAEXAMPLE", "FQoGZXIvYXdzsessiontoken", "4f5e6d7c8b9a", "abc123goog", "azuresig",
        ] {
            #expect(!shown.contains(secret), "\(secret) in \(shown)")
        }
        for kept in ["user:", "bucket.s3.amazonaws.com/v.mp4", "X-Amz-Algorithm=AWS4-HMAC-SHA256", "se=2026-12-04"] {
            #expect(shown.contains(kept), "\(kept) missing from \(shown)")
        }
        // The same URL inside an error message or an answer's text.
        let text = Redaction.redact(bodyText: "fetch of \(url) failed: 403")
        for secret in ["hunter2secret", "FQoGZXIvYXdzsessiontoken", "4f5e6d7c8b9a", "abc123goog", "azuresig"] {
            #expect(!text.contains(secret), "\(secret) in \(text)")
        }
        #expect(text.hasSuffix("failed: 403"))
        #expect(Redaction.redact(bodyText: "the design of the signup page") == "the design of the signup page")
    }

    @Test("a URL's query is redacted part by part: empty parts, names in any case, non-ASCII names, no query")
    func redactionOfQueryShapes() {
        #expect(
            Redaction.redact(url: "https://h/p?a=1&&TOKEN=abc&b&Token=&x=token=y&")
                == "https://h/p?a=1&&TOKEN=<redacted>&b&Token=<redacted>&x=token=y&")
        // The Kelvin sign lowercases to `k`: the name is `token` to the platform's case-insensitive eyes.
        #expect(Redaction.redact(url: "https://h/p?to\u{212A}en=abc") == "https://h/p?to\u{212A}en=<redacted>")
        #expect(Redaction.redact(url: "https://h/p?t\u{F6}ken=abc") == "https://h/p?t\u{F6}ken=abc")
        #expect(Redaction.redact(url: "https://h/p?") == "https://h/p?")
        #expect(Redaction.redact(url: "https://h/p") == "https://h/p")
        #expect(Redaction.redact(url: "https://u:pw@h/p?sig=1") == "https://u:<redacted>@h/p?sig=<redacted>")
    }
}
