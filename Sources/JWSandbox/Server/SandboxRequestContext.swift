import Hummingbird
import NIOCore

/// The request context of the sandbox: Hummingbird's, plus the channel, so that a fault can drop the
/// connection in the middle of a body as a real network would.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
