/// A value on the stack or in the memo of a pickle being read.
///
/// Containers are not values but handles into ``PickleHeap``: a pickle builds a list, memoizes it and
/// only then fills it, and may push the same list again with `GET`, so the stack, the memo and other
/// containers must all share one mutable container. The tree is made from the heap at `STOP`.
enum PickleNode {
    /// `None`.
    case none
    /// `True` or `False`.
    case bool(Bool)
    /// An integer that fits in 64 bits.
    case int(Int64)
    /// A float.
    case double(Double)
    /// A `str`, or `bytes` that are valid UTF-8.
    case text(String)
    /// A list, tuple, dict, set or frozenset: its index in ``PickleHeap/containers``.
    case container(Int)
    /// A value the tree cannot hold (bytes that are not UTF-8, an integer over 64 bits): the index of its
    /// error in ``PickleHeap/refusals``. The error is thrown only if the value ends up in the answer.
    case refused(Int)
}

/// One mutable container of a pickle being read.
struct PickleContainer {
    /// The Python type of a container.
    enum Kind {
        case list, tuple, dict, set, frozenSet

        /// The Python name, for messages.
        var name: String {
            switch self {
            case .list: "list"
            case .tuple: "tuple"
            case .dict: "dict"
            case .set: "set"
            case .frozenSet: "frozenset"
            }
        }
    }

    /// The type.
    var kind: Kind
    /// The byte offset of the opcode that made it, for errors.
    var offset: Int
    /// The elements, or for a dict the values.
    var items: [PickleNode] = []
    /// For a dict, the key of each value in ``items``; empty otherwise.
    var keys: [String] = []
}

/// The containers and refused values of a pickle being read.
struct PickleHeap {
    /// Every container made so far, by handle.
    var containers: [PickleContainer] = []
    /// The errors of the refused values made so far.
    var refusals: [AnswerDecodingError] = []

    /// Makes a container and returns its handle.
    mutating func make(_ kind: PickleContainer.Kind, at offset: Int, items: [PickleNode] = []) -> PickleNode {
        containers.append(PickleContainer(kind: kind, offset: offset, items: items))
        return .container(containers.count - 1)
    }

    /// Records a value the tree cannot hold.
    mutating func refuse(_ error: AnswerDecodingError) -> PickleNode {
        refusals.append(error)
        return .refused(refusals.count - 1)
    }

    /// The kind of the container `node` refers to, or `nil` for a scalar.
    func kind(of node: PickleNode) -> PickleContainer.Kind? {
        guard case .container(let handle) = node else { return nil }
        return containers[handle].kind
    }

    /// The Python type of `node`, for messages.
    func typeName(of node: PickleNode) -> String {
        switch node {
        case .none: "None"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .text: "str"
        case .container(let handle): containers[handle].kind.name
        case .refused: "unsupported value"
        }
    }
}
