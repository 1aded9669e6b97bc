/// Turns the containers of a pickle that has been read into an ``APIValue`` tree.
///
/// A pickle is a graph: one container may be referenced many times, and a list may contain itself.
/// Before building anything, one walk over the containers reachable from the root, in post-order and
/// with an explicit stack (never the Swift stack), refuses cycles and measures for each container the
/// tree it would expand to: its height, its number of values and the bytes of its text. A graph whose
/// tree would be too deep or too large is refused there, in time linear in the size of the graph, even
/// if the tree would be astronomically large (a list holding one list twice, 60 levels down). The tree is
/// then built bottom-up in the order of the walk; a container referenced twice is built once and shared.
struct PickleMaterializer {
    private let heap: PickleHeap
    private let limits: DecodingLimits

    init(heap: PickleHeap, limits: DecodingLimits) {
        self.heap = heap
        self.limits = limits
    }

    /// The tree `root` stands for.
    func materialize(_ root: PickleNode) throws -> APIValue {
        guard case .container(let rootHandle) = root else { return try scalar(root) }
        let order = try buildOrder(from: rootHandle)
        var built = [APIValue](repeating: .null, count: heap.containers.count)
        for handle in order {
            let container = heap.containers[handle]
            if container.kind == .dict {
                var object = APIObject()
                for (key, item) in zip(container.keys, container.items) {
                    if case .container(let child) = item {
                        object[key] = built[child]
                    } else {
                        object[key] = try scalar(item)
                    }
                }
                built[handle] = .object(object)
            } else {
                var elements: [APIValue] = []
                elements.reserveCapacity(container.items.count)
                for item in container.items {
                    if case .container(let child) = item {
                        elements.append(built[child])
                    } else {
                        elements.append(try scalar(item))
                    }
                }
                built[handle] = .array(elements)
            }
        }
        return built[rootHandle]
    }

    /// The containers reachable from `root`, children before parents, after checking that the tree
    /// they expand to is acyclic and within the limits.
    private func buildOrder(from root: Int) throws -> [Int] {
        guard limits.maxDepth >= 1 else { throw tooDeep(at: heap.containers[root].offset) }
        let textBudget = limits.maxBytes.multipliedReportingOverflow(by: 4)
        let maxText = textBudget.overflow ? Int.max : textBudget.partialValue
        // 0: not seen, 1: on the path being walked, 2: measured.
        var state = [UInt8](repeating: 0, count: heap.containers.count)
        var values = [Int](repeating: 0, count: heap.containers.count)
        var height = [Int](repeating: 0, count: heap.containers.count)
        var text = [Int](repeating: 0, count: heap.containers.count)
        var order: [Int] = []
        var path: [(handle: Int, next: Int)] = [(root, 0)]
        state[root] = 1

        while let top = path.last {
            let (handle, next) = (top.handle, top.next)
            let container = heap.containers[handle]
            if next < container.items.count {
                path[path.count - 1].next += 1
                switch container.items[next] {
                case .container(let child):
                    switch state[child] {
                    case 0:
                        guard path.count < limits.maxDepth else { throw tooDeep(at: heap.containers[child].offset) }
                        state[child] = 1
                        path.append((child, 0))
                    case 1:
                        throw AnswerDecodingError(
                            format: .py, code: .unsupported, offset: heap.containers[child].offset,
                            message: "a \(heap.containers[child].kind.name) that contains itself; cycles are not read")
                    default:
                        break
                    }
                case .refused(let index):
                    throw heap.refusals[index]
                case .none, .bool, .int, .double, .text:
                    break
                }
                continue
            }

            // Every child is measured: measure this container.
            var count = 1
            var depth = 1
            var bytes = 0
            for key in container.keys { bytes = Self.add(bytes, key.utf8.count) }
            for item in container.items {
                switch item {
                case .container(let child):
                    count = Self.add(count, values[child])
                    depth = max(depth, height[child] + 1)
                    bytes = Self.add(bytes, text[child])
                case .text(let string):
                    count = Self.add(count, 1)
                    bytes = Self.add(bytes, string.utf8.count)
                case .none, .bool, .int, .double, .refused:
                    count = Self.add(count, 1)
                }
            }
            guard depth <= limits.maxDepth else { throw tooDeep(at: container.offset) }
            guard count <= limits.maxValues else {
                throw AnswerDecodingError(
                    format: .py, code: .tooLarge, offset: container.offset,
                    message: "a \(container.kind.name) that expands to more than \(limits.maxValues) values")
            }
            guard bytes <= maxText else {
                throw AnswerDecodingError(
                    format: .py, code: .tooLarge, offset: container.offset,
                    message: "a \(container.kind.name) that expands to more than \(maxText) bytes of text")
            }
            values[handle] = count
            height[handle] = depth
            text[handle] = bytes
            state[handle] = 2
            order.append(handle)
            path.removeLast()
        }
        return order
    }

    private func scalar(_ node: PickleNode) throws -> APIValue {
        switch node {
        case .none: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .double(let number): return .double(number)
        case .text(let string): return .string(string)
        case .refused(let index): throw heap.refusals[index]
        case .container(let handle):
            // Containers are built by `materialize`; reaching one here would be a bug, reported as such.
            throw AnswerDecodingError(
                format: .py, code: .syntax, offset: heap.containers[handle].offset,
                message: "internal error: a container outside the build order")
        }
    }

    private func tooDeep(at offset: Int) -> AnswerDecodingError {
        AnswerDecodingError(
            format: .py, code: .tooDeep, offset: offset,
            message: "containers nest deeper than \(limits.maxDepth) levels")
    }

    /// `a + b`, saturating at `Int.max` instead of trapping.
    private static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }
}
