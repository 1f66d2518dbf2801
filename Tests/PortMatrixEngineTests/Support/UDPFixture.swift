import NIOCore
import NIOPosix
import PortMatrixTestSupport

/// An in-process UDP peer on loopback: `reply` maps each request to an answer, or nil to stay
/// silent.
final class UDPFixture: TestFixture {
    let channel: any Channel
    let port: Int

    static func start(host: String = "127.0.0.1", port: Int = 0, reply: @escaping @Sendable ([UInt8]) -> [UInt8]?) async throws -> UDPFixture {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Responder(reply: reply))
                }
            }
            .bind(host: host, port: port).get()
        return UDPFixture(channel: channel, port: channel.localAddress?.port ?? 0)
    }

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    func stop() async {
        try? await channel.close()
    }

    /// A port nothing listens on: bound, then released, so the kernel answers ICMP unreachable.
    static func closedPort() async throws -> Int {
        let fixture = try await start { _ in nil }
        let port = fixture.port
        await fixture.stop()
        return port
    }

    private final class Responder: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let reply: @Sendable ([UInt8]) -> [UInt8]?

        init(reply: @escaping @Sendable ([UInt8]) -> [UInt8]?) {
            self.reply = reply
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard let answer = reply(Array(envelope.data.readableBytesView)) else { return }
            let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: answer))
            context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        }
    }
}
