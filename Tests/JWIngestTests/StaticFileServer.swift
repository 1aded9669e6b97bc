import Foundation
import JWTestSupport

/// A plain HTTP server of a folder on 127.0.0.1 (Python's `http.server`, a server nobody here wrote), for
/// items that the platform fetches by URL. Stopped by ``stop()``.
struct StaticFileServer {
    /// `http://127.0.0.1:PORT`.
    var address: String
    private var process: SpawnedProcess

    /// Starts serving `folder` on a free loopback port and waits until it answers.
    static func start(serving folder: URL) async throws -> StaticFileServer {
        guard let python = ChildProcess.which("python3") else {
            throw MissingTestTool(tool: "python3", remedy: "apt-get install -y python3")
        }
        let port = try freePort()
        let process = try ChildProcess.start(
            python, ["-m", "http.server", "--bind", "127.0.0.1", "--directory", folder.path, String(port)])
        let server = StaticFileServer(address: "http://127.0.0.1:\(port)", process: process)
        for _ in 0..<200 {
            if canConnect(port) { return server }
            try await Task.sleep(for: .milliseconds(25))
        }
        server.stop()
        throw MissingTestTool(tool: "python3 -m http.server answering on port \(port)", remedy: "check python3")
    }

    /// Stops the server.
    func stop() {
        process.signal(SIGKILL)
    }

    /// A port that was free a moment ago.
    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(socket, pointer, length) == 0 else { return -1 }
                return getsockname(socket, pointer, &length)
            }
        }
        guard bound == 0 else { throw MissingTestTool(tool: "a free loopback port", remedy: "free one") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func canConnect(_ port: Int) -> Bool {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
