import NIOCore

/// Sits before the HTTP decoder and notes that bytes arrived, so a timeout can tell a
/// client stuck in the middle of a request (408) from an idle keep-alive connection.
final class StatusHTTPInputWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Bytes arrived since the last complete request.
    var pending = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending = true
        context.fireChannelRead(data)
    }
}
