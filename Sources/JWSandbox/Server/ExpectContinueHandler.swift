import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` at once, as real upload servers do: curl sends it for bodies over 1 MiB
/// and otherwise waits a second before sending the body.
///
/// One request is refused here instead, before any of its body is read: an S3 `PUT` whose `Content-Length`
/// is over 5 GiB gets `400 EntityTooLarge` and the connection is closed, so the client never sends it.
final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    /// Set once a request was refused here: the rest of its parts are dropped.
    private var refusing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .head(let head) = part {
            refusing = false
            if Self.isOversizedS3Put(head) {
                refusing = true
                refuse(context: context)
                return
            }
            if head.headerFields[.expect]?.lowercased() == "100-continue" {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            }
        }
        guard !refusing else { return }
        context.fireChannelRead(data)
    }

    static func isOversizedS3Put(_ head: HTTPRequest) -> Bool {
        guard head.method == .put, head.path?.hasPrefix("/s3/") == true,
            let length = head.headerFields[.contentLength].flatMap({ Int64($0) })
        else { return false }
        return length > S3Endpoint.maximumSize
    }

    private func refuse(context: ChannelHandlerContext) {
        let body = ByteBuffer(
            string: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>EntityTooLarge</Code>"
                + "<Message>Your proposed upload exceeds the maximum allowed size.</Message></Error>")
        var fields = HTTPFields()
        fields[.contentType] = "application/xml"
        fields[.contentLength] = String(body.readableBytes)
        fields[.connection] = "close"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .badRequest, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
