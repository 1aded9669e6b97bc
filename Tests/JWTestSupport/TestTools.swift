import Foundation

/// The tools the tests drive as clients and readers nobody here wrote, as `scripts/test.sh` prepares them.
public enum TestTools {
    /// The repository's root, found from this file.
    public static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The virtual environment `scripts/test.sh` makes, with the official client `jwplatform==2.2.2`.
    public static var virtualEnvironment: URL { repository.appendingPathComponent(".build/test-venv") }

    /// The Python that has `jwplatform==2.2.2`: `JWINGEST_TEST_PYTHON` when set, else the one of
    /// ``virtualEnvironment``.
    ///
    /// - Throws: ``MissingTestTool`` naming the command that prepares it.
    public static var python: URL {
        get throws {
            if let given = ProcessInfo.processInfo.environment["JWINGEST_TEST_PYTHON"], !given.isEmpty {
                return URL(fileURLWithPath: given)
            }
            let python = virtualEnvironment.appendingPathComponent("bin/python3")
            guard FileManager.default.isExecutableFile(atPath: python.path) else {
                throw MissingTestTool(
                    tool: "a Python with jwplatform==2.2.2 at \(python.path)",
                    remedy: "run scripts/test.sh (it makes that virtual environment, then runs swift test)")
            }
            return python
        }
    }
}

/// A tool the tests need is not where the test set-up puts it.
public struct MissingTestTool: Error, CustomStringConvertible {
    /// What is missing.
    public var tool: String
    /// What to run.
    public var remedy: String

    /// Creates the error.
    public init(tool: String, remedy: String) {
        self.tool = tool
        self.remedy = remedy
    }

    public var description: String { "missing \(tool): \(remedy)" }
}
