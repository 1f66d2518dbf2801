import Foundation
import NIOCore
import NIOPosix
import PortMatrixTestSupport
import NIOSSL

/// What an in-process TCP peer does: the faults a real daemon will not produce on demand
/// (silence, garbage, floods, drips, resets, bad certificates).
struct PeerScript: Sendable {
    var onConnect: @Sendable (PeerLink) -> Void = { _ in }
    /// Called per received line (without CR LF), unless `onData` is set.
    var onLine: @Sendable (String, PeerLink) -> Void = { _, _ in }
    /// Raw bytes instead of lines (binary protocols, TLS ClientHello).
    var onData: (@Sendable (ByteBuffer, PeerLink) -> Void)?
    /// Called once the connection has closed (after `connectionsClosed` counts it).
    var onClose: @Sendable () -> Void = {}
}

/// The server side of one accepted connection, for scripts. Used only on the event loop.
struct PeerLink {
    let context: ChannelHandlerContext

    func send(_ text: String) {
        send(bytes: Array(text.utf8))
    }

    func send(bytes: [UInt8]) {
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }

    func close() {
        context.close(promise: nil)
    }

    /// RST instead of FIN: SO_LINGER 0, then close.
    func reset() {
        let channel = context.channel
        guard let socket = channel as? any SocketOptionProvider else { return channel.close(promise: nil) }
        socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
    }

    /// Puts TLS in front; the next bytes from the client are its ClientHello.
    func startTLS(_ sslContext: NIOSSLContext) {
        try? context.channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext), position: .first)
    }

    /// `count` bytes of garbage without a newline, in 64 KiB writes, stopping once the peer is gone.
    func flood(_ count: Int, byte: UInt8 = UInt8(ascii: "x")) {
        let chunk = context.channel.allocator.buffer(repeating: byte, count: 65_536)
        let channel = context.channel
        @Sendable func write(_ remaining: Int) {
            guard remaining > 0, channel.isActive else { return }
            channel.writeAndFlush(chunk).whenComplete { result in
                if case .success = result { write(remaining - chunk.readableBytes) }
            }
        }
        write(count)
    }

    /// One byte every `interval`, forever (a slow drip).
    func drip(_ text: String, every interval: TimeAmount) {
        let channel = context.channel
        let bytes = Array(text.utf8)
        @Sendable func next(_ index: Int) {
            guard channel.isActive else { return }
            channel.writeAndFlush(channel.allocator.buffer(bytes: [bytes[index % bytes.count]]), promise: nil)
            channel.eventLoop.scheduleTask(in: interval) { next(index + 1) }
        }
        next(0)
    }
}

private final class ScriptHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let script: PeerScript
    let closed: @Sendable () -> Void
    private var pending = ByteBuffer()

    init(script: PeerScript, closed: @escaping @Sendable () -> Void) {
        self.script = script
        self.closed = closed
    }

    func channelActive(context: ChannelHandlerContext) {
        script.onConnect(PeerLink(context: context))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if let onData = script.onData {
            onData(bytes, PeerLink(context: context))
            return
        }
        pending.writeBuffer(&bytes)
        while let newline = pending.readableBytesView.firstIndex(of: 10) {
            var line = pending.readString(length: newline - pending.readerIndex + 1) ?? ""
            while line.last == "\n" || line.last == "\r" || line.hasSuffix("\r\n") { line.removeLast() }
            script.onLine(line, PeerLink(context: context))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed()
        script.onClose()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// An in-process TCP server on loopback, port chosen by the kernel.
final class FaultServer: TestFixture {
    let channel: any Channel
    let port: Int
    private let closedCount: NIOLockedCounter

    static func start(host: String = "127.0.0.1", tls: NIOSSLContext? = nil, _ script: PeerScript) async throws -> FaultServer {
        let counter = NIOLockedCounter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    if let tls { try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try child.pipeline.syncOperations.addHandler(ScriptHandler(script: script, closed: { counter.increment() }))
                }
            }
            .bind(host: host, port: 0).get()
        return FaultServer(channel: channel, port: channel.localAddress?.port ?? 0, closedCount: counter)
    }

    private init(channel: any Channel, port: Int, closedCount: NIOLockedCounter) {
        self.channel = channel
        self.port = port
        self.closedCount = closedCount
    }

    /// Connections the server has seen closed.
    var connectionsClosed: Int { closedCount.value }

    func stop() async {
        try? await channel.close()
    }
}

/// A counter shared between the event loop and the test.
/// @unchecked: `count` is only touched while holding `lock`.
final class NIOLockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
