/// The members of an object in an API answer, in order, each name once.
///
/// Answers are small, but a hostile one may hold many members: lookups go through an index, so reading
/// or building an object of *n* members costs O(*n*). Setting a name that is already present replaces its
/// value in place and keeps its position (the last value wins, as in JSON readers).
public struct APIObject: Sendable, Hashable, RandomAccessCollection {
    /// One named member.
    public struct Member: Sendable, Hashable {
        /// The member's name.
        public var key: String
        /// The member's value.
        public var value: APIValue

        /// Creates a member.
        public init(key: String, value: APIValue) {
            self.key = key
            self.value = value
        }
    }

    /// The members in order.
    public private(set) var members: [Member] = []
    private var positions: [String: Int] = [:]

    /// Creates an empty object.
    public init() {}

    /// Creates an object from name–value pairs, in order; a repeated name keeps its first position and last value.
    public init(_ pairs: some Sequence<(String, APIValue)>) {
        for (key, value) in pairs { self[key] = value }
    }

    /// The value of the member named `key`; setting `nil` removes it.
    public subscript(key: String) -> APIValue? {
        get { positions[key].map { members[$0].value } }
        set {
            if let position = positions[key] {
                if let newValue {
                    members[position].value = newValue
                } else {
                    members.remove(at: position)
                    positions[key] = nil
                    for index in position..<members.count { positions[members[index].key] = index }
                }
            } else if let newValue {
                positions[key] = members.count
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// The names of the members, in order.
    public var keys: [String] { members.map(\.key) }

    /// The position of the first element.
    public var startIndex: Int { members.startIndex }
    /// The position after the last element.
    public var endIndex: Int { members.endIndex }
    /// The element at `position`.
    public subscript(position: Int) -> Member { members[position] }

    /// Whether both have the same members in the same order.
    public static func == (lhs: APIObject, rhs: APIObject) -> Bool { lhs.members == rhs.members }
    /// Hashes the members in order.
    public func hash(into hasher: inout Hasher) { hasher.combine(members) }
}
