/// The memo of a pickle being read: the values stored by `PUT`, `BINPUT`, `LONG_BINPUT` and `MEMOIZE`,
/// by index.
///
/// Picklers number memo entries 0, 1, 2, … in order, so entries are kept in an array while the indices
/// come in that order, and in a dictionary otherwise (a hostile body may use any index up to 2³²).
struct PickleMemo {
    private var dense: [PickleNode] = []
    private var sparse: [Int: PickleNode] = [:]

    /// How many entries are stored (the index `MEMOIZE` stores at).
    var count: Int { dense.count + sparse.count }

    /// The entry at `index`, or `nil` when none was stored.
    subscript(index: Int) -> PickleNode? {
        index >= 0 && index < dense.count ? dense[index] : sparse[index]
    }

    /// Whether an entry is stored at `index`.
    func contains(_ index: Int) -> Bool {
        self[index] != nil
    }

    /// Stores `node` at `index`, replacing any entry there.
    mutating func store(_ node: PickleNode, at index: Int) {
        if index >= 0 && index < dense.count {
            dense[index] = node
        } else if index == dense.count {
            sparse[index] = nil
            dense.append(node)
        } else {
            sparse[index] = node
        }
    }

    /// Forgets every entry.
    mutating func removeAll() {
        dense = []
        sparse = [:]
    }
}
