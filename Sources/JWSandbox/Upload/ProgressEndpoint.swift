import JWPlatform

/// `GET /progress?token=…&callback=…` (API.md §5): JSON-P with single quotes.
enum ProgressEndpoint {
    static func answer(query: APIParameters, context: SandboxContext) async -> (status: Int, body: String) {
        let callback = query["callback"] ?? "callback"
        guard callback.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "$" }),
            !callback.isEmpty
        else { return (400, "callback: not a JavaScript name") }
        guard let token = query["token"], let state = await context.state.progress(for: token) else {
            return (200, "\(callback)({'state': 'error', 'status': 404})")
        }
        switch state {
        case .starting: return (200, "\(callback)({'state': 'starting'})")
        case .uploading(let received, let size):
            return (200, "\(callback)({'state': 'uploading', 'received': \(received), 'size': \(size)})")
        case .done: return (200, "\(callback)({'state': 'done'})")
        case .error(let status): return (200, "\(callback)({'state': 'error', 'status': \(status)})")
        }
    }
}
