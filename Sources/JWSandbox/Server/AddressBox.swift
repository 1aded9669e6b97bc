import Synchronization

/// The `host:port` the sandbox listens on, known only once the server is bound (port 0 picks one).
final class AddressBox: Sendable {
    private let value = Mutex("")

    var address: String { value.withLock { $0 } }

    /// The port part of ``address``.
    var port: String { address.split(separator: ":").last.map(String.init) ?? "" }

    func set(_ address: String) { value.withLock { $0 = address } }
}
