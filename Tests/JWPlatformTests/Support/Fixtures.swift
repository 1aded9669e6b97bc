import Foundation

/// The URL of a committed fixture file, given its path under `Tests/JWPlatformTests/Fixtures/`.
func fixtureURL(_ relativePath: String) -> URL {
    Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
}

/// The bytes of a committed fixture file.
func fixtureBytes(_ relativePath: String) throws -> [UInt8] {
    try [UInt8](Data(contentsOf: fixtureURL(relativePath)))
}
