import Foundation

/// `GET /_sandbox/assets`: every asset as JSON, for tests in other processes.
enum InspectionEndpoint {
    static func assetsJSON(_ assets: [SandboxAsset]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return Array(try encoder.encode(assets))
    }
}
