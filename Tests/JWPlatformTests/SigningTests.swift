import Foundation
import Testing

@testable import JWPlatform

@Suite("v1 signing (API.md §1)")
struct SigningTests {
    @Test("the documented known answer: base string and signature")
    func documentedKnownAnswer() {
        let parameters: APIParameters = [
            "text": "démo", "api_format": "xml", "api_key": "XOqEAfxj", "api_nonce": "80684843",
            "api_timestamp": "1237387851",
        ]
        #expect(
            APISigner.baseString(of: parameters)
                == "api_format=xml&api_key=XOqEAfxj&api_nonce=80684843&api_timestamp=1237387851&text=d%C3%A9mo")
        #expect(
            APISigner.signature(of: parameters, secret: APISecret("uA96CFtJa138E2T5GhKfngml"))
                == "fbdee51a45980f9876834dc5ee1ec5e93f67cb89")
    }

    @Test("sign() adds the api_ parameters and reproduces the known answer with a fixed clock and nonce")
    func signAddsParameters() {
        let signer = APISigner(
            credentials: APICredentials(key: "XOqEAfxj", secret: "uA96CFtJa138E2T5GhKfngml"),
            now: { Date(timeIntervalSince1970: 1_237_387_851) }, nonce: { "80684843" })
        let signed = signer.sign(["text": "démo"], format: .xml)
        #expect(signed["api_key"] == "XOqEAfxj")
        #expect(signed["api_timestamp"] == "1237387851")
        #expect(signed["api_nonce"] == "80684843")
        #expect(signed["api_format"] == "xml")
        #expect(signed["api_signature"] == "fbdee51a45980f9876834dc5ee1ec5e93f67cb89")
        #expect(signed.filter { $0.name == "api_signature" }.count == 1)
    }

    /// The official Python client's cases (tests/v1/test_build_request.py of jwplatform 2.x): a non-ASCII
    /// name and value, `True` and `None` as text, list values as repeated names in list order.
    static let pythonCaseParameters: APIParameters = {
        var parameters: APIParameters = [
            "a": 1, "b": "two", "c3": "Param 3", "❄": "⛄", "t1": true, "n0": String?.none,
            "api_format": "json", "api_key": "api_key", "api_kit": "py-2.0.1", "api_nonce": "123456789",
            "api_timestamp": 1_700_000_000,
        ]
        for value in [1, 2, 3, 4] { parameters.append("test_array1", value) }
        for value in ["test item1", "test item2"] { parameters.append("test_array2", value) }
        return parameters
    }()

    @Test("the Python client's order (unencoded names) gives its documented base string")
    func pythonClientOrder() {
        let expected =
            "a=1&api_format=json&api_key=api_key&api_kit=py-2.0.1&api_nonce=123456789&api_timestamp=1700000000"
            + "&b=two&c3=Param%203&n0=None&t1=True&test_array1=1&test_array1=2&test_array1=3&test_array1=4"
            + "&test_array2=test%20item1&test_array2=test%20item2&%E2%9D%84=%E2%9B%84"
        #expect(APISigner.baseString(of: Self.pythonCaseParameters, order: .unencodedName) == expected)
    }

    @Test("the documented order (encoded names, byte order) puts %-encoded names first, lists in order")
    func documentedOrderForTheSameCase() {
        let expected =
            "%E2%9D%84=%E2%9B%84&a=1&api_format=json&api_key=api_key&api_kit=py-2.0.1&api_nonce=123456789"
            + "&api_timestamp=1700000000&b=two&c3=Param%203&n0=None&t1=True&test_array1=1&test_array1=2"
            + "&test_array1=3&test_array1=4&test_array2=test%20item1&test_array2=test%20item2"
        #expect(APISigner.baseString(of: Self.pythonCaseParameters) == expected)
        // The two orders give different signatures, so a server must know which one a client used.
        let secret = APISecret("api_secret")
        #expect(
            APISigner.signature(of: Self.pythonCaseParameters, secret: secret)
                != APISigner.signature(of: Self.pythonCaseParameters, secret: secret, order: .unencodedName))
    }

    @Test("a repeated name keeps its list order, even when the values would sort the other way")
    func repeatedNamesKeepListOrder() {
        var parameters = APIParameters()
        parameters.append("k", "2")
        parameters.append("a", "x")
        parameters.append("k", "1")
        #expect(APISigner.baseString(of: parameters) == "a=x&k=2&k=1")
    }

    @Test("the signature is SHA-1 of the base string followed by the secret")
    func signatureIsSHA1OfBaseAndSecret() {
        let parameters: APIParameters = ["b": "2", "a": "1"]
        // echo -n 'a=1&b=2secret' | sha1sum
        #expect(
            APISigner.signature(of: parameters, secret: APISecret("secret"))
                == "69021e767b8b2f38af0bcc5fcefee075eb2ec60d")
    }

    @Test(
        "percent-encoding keeps only the RFC 3986 unreserved set",
        arguments: [
            ("media.com +!~", "media.com%20%2B%21~"),
            ("a/b?c=d&e", "a%2Fb%3Fc%3Dd%26e"),
            ("AZaz09-._~", "AZaz09-._~"),
            ("démo ☃", "d%C3%A9mo%20%E2%98%83"),
            ("*'()", "%2A%27%28%29"),
        ])
    func percentEncoding(input: String, expected: String) {
        #expect(PercentEncoding.encode(input) == expected)
        #expect(PercentEncoding.decode(expected) == input)
    }

    @Test("Python-style parameter values: True, False, None, integers")
    func parameterTexts() {
        #expect(true.parameterText == "True")
        #expect(false.parameterText == "False")
        #expect(String?.none.parameterText == "None")
        #expect(Int64(-42).parameterText == "-42")
    }

    @Test("two signings of the same call differ: every attempt gets a fresh nonce")
    func freshNonceEachTime() {
        let signer = APISigner(credentials: APICredentials(key: "k", secret: "s"))
        let signatures = Set((0..<20).map { _ in signer.sign(["video_key": "x"], format: .json)["api_signature"] })
        #expect(signatures.count == 20)
        let nonce = signer.sign([:], format: .json)["api_nonce"] ?? ""
        #expect(nonce.count == 8 && nonce.allSatisfy(\.isNumber))
    }
}
