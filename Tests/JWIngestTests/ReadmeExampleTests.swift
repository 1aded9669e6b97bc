import Foundation
import JWTestSupport
import Testing

/// The README's library example is a program of this package (`Examples/Readme`, built with the rest):
/// this keeps the README's text and the compiled program the same, letter for letter.
@Suite("the README's library example")
struct ReadmeExampleTests {
    @Test("the README shows Examples/Readme/main.swift verbatim, and the program is built")
    func readmeShowsTheCompiledProgram() throws {
        let readme = try String(contentsOf: TestTools.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let program = try String(
            contentsOf: TestTools.repository.appendingPathComponent("Examples/Readme/main.swift"), encoding: .utf8)
        #expect(readme.contains("```swift\n" + program + "```"))
        #expect(program.split(separator: "\n").filter { !$0.hasPrefix("//") && !$0.isEmpty }.count <= 10)
        #expect(
            FileManager.default.isExecutableFile(
                atPath: ChildProcess.productsDirectory.appendingPathComponent("readme-example").path))
    }

    @Test("the README's program refuses to run without credentials, naming what to set")
    func readmeProgramNeedsCredentials() async throws {
        let result = try await ChildProcess.run(
            ChildProcess.productsDirectory.appendingPathComponent("readme-example"),
            [TestTools.repository.appendingPathComponent("manifests/demo.yaml").path], timeout: .seconds(60))
        #expect(result.status != 0)
        #expect(result.standardError.contains("JW_API_KEY"), "\(result.standardError)")
    }
}
