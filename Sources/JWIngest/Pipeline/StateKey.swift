import Foundation

/// The name and type of a value a stage keeps in ``ItemState/values``: checkpointed with the state after
/// the stage, so that it survives a stop or a crash and later stages (in this run or a later one) read it
/// back with its type.
///
/// ```swift
/// static let checksum = StateKey<String>("my-stage.checksum")
/// state[Self.checksum] = digest           // in one stage
/// let digest = state[MyStage.checksum]    // in a later one
/// ```
public struct StateKey<Value: Codable & Sendable>: Sendable, Hashable {
    /// The name under which the value is kept (give it your stage's prefix).
    public let name: String

    /// A key named `name`.
    public init(_ name: String) { self.name = name }
}

extension ItemState {
    /// The value kept under `key`, or `nil` when there is none (or it cannot be read as `Value`). Set to
    /// `nil` to remove it. Values are kept as JSON text in ``values``.
    public subscript<Value>(key: StateKey<Value>) -> Value? {
        get {
            guard let text = values[key.name] else { return nil }
            return try? JSONDecoder().decode(Value.self, from: Data(text.utf8))
        }
        set {
            values[key.name] = newValue.flatMap { value in
                (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) }
            }
        }
    }
}
