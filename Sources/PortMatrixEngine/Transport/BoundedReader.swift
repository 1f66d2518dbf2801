import NIOCore
import NIOSSL
import NIOTLS

/// Buffers what the peer sends, at most `capacity` bytes, and hands it to one waiting parser
/// at a time. A peer that floods the probe (10 MB of garbage) costs at most `capacity` plus one
/// read of memory: past the cap the bytes are dropped, the waiting read fails and the channel closes.
///
/// Lives on the channel's event loop; `ProbeConnection` reaches it through `NIOLoopBound`.
final class BoundedReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// A parser fed with everything buffered so far. It returns true once it has settled its
    /// promise; it consumes bytes only on success.
    private typealias Attempt = (inout ByteBuffer) -> Bool

    private struct Waiter {
        var attempt: Attempt
        var fail: (ProbeFailure) -> Void
        var timeout: Scheduled<Void>?
    }

    let capacity: Int
    private var buffer = ByteBuffer()
    private var waiter: Waiter?
    /// Set once the connection can deliver nothing more: later reads fail with it at once.
    private var terminal: ProbeFailure?
    private var handshake: EventLoopPromise<TLSHandshakeInfo>?
    private var handshakeTimeout: Scheduled<Void>?
    private var tlsActive = false
    private var handshakeInfo: TLSHandshakeInfo?
    private(set) var firstByteAt: NIODeadline?
    private weak var context: ChannelHandlerContext?

    init(capacity: Int) {
        self.capacity = capacity
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if firstByteAt == nil { firstByteAt = .now() }
        guard terminal == nil else { return }
        buffer.writeBuffer(&incoming)
        serviceWaiter()
        if buffer.readableBytes > capacity {
            buffer = ByteBuffer()
            finish(ProbeFailure(.protocolError, "peer sent more than \(capacity) bytes without a complete answer"))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        serviceWaiter()
        if handshake != nil {
            finish(ProbeFailure(.tlsHandshake, "peer closed the connection during the TLS handshake"))
        } else {
            finish(ProbeFailure(.protocolError, "connection closed by peer"))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(ProbeFailure.from(error, phase: handshake != nil ? .tls : .reading))
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            tlsActive = true
            handshakeTimeout?.cancel()
            handshakeTimeout = nil
            // Read version and certificate now: a peer that closes right after the handshake
            // takes the TLS handler out of the pipeline before the probe could ask later.
            let operations = context.pipeline.syncOperations
            let info = TLSHandshakeInfo(version: try? operations.nioSSL_tlsVersion(),
                                        leafCertificate: (try? operations.nioSSL_peerCertificate())??.derBytes)
            handshakeInfo = info
            let promise = handshake
            handshake = nil
            promise?.succeed(info)
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Waits until `parse` finds a complete unit in the buffered bytes. `parse` gets a copy;
    /// the bytes it read are consumed only when it returns a value.
    func read<T: Sendable>(deadline: NIODeadline, on eventLoop: any EventLoop,
                           _ parse: @escaping (inout ByteBuffer) throws -> T?) -> EventLoopFuture<T> {
        let promise = eventLoop.makePromise(of: T.self)
        guard waiter == nil else {
            promise.fail(ProbeFailure(.internalError, "two concurrent reads on one connection", status: .unknown))
            return promise.futureResult
        }
        let attempt: Attempt = { buffer in
            var view = buffer
            do {
                guard let value = try parse(&view) else { return false }
                buffer = view
                promise.succeed(value)
            } catch {
                promise.fail(error)
            }
            return true
        }
        if attempt(&buffer) { return promise.futureResult }
        if let terminal {
            promise.fail(terminal)
            return promise.futureResult
        }
        let timeout = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] () -> Void in
            guard let self else { return }
            self.expireWaiter()
        }
        waiter = Waiter(attempt: attempt, fail: { promise.fail($0) }, timeout: timeout)
        return promise.futureResult
    }

    /// Completes when the TLS handler in front of this one reports a finished handshake.
    static let handshakeTimedOut = "TLS handshake timed out"

    func awaitHandshake(deadline: NIODeadline, on eventLoop: any EventLoop) -> EventLoopFuture<TLSHandshakeInfo> {
        let promise = eventLoop.makePromise(of: TLSHandshakeInfo.self)
        if tlsActive, let handshakeInfo {
            promise.succeed(handshakeInfo)
            return promise.futureResult
        }
        if let terminal {
            promise.fail(terminal.reason == .protocolError ? ProbeFailure(.tlsHandshake, terminal.message) : terminal)
            return promise.futureResult
        }
        handshake = promise
        handshakeTimeout = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            guard let self, let promise = self.handshake else { return }
            self.handshake = nil
            promise.fail(ProbeFailure(.tlsHandshake, BoundedReader.handshakeTimedOut))
            self.context?.close(promise: nil)
        }
        return promise.futureResult
    }

    /// Bytes still buffered and not yet consumed by a read; STARTTLS must not see any.
    var pendingBytes: Int { buffer.readableBytes }

    private func serviceWaiter() {
        guard let current = waiter else { return }
        if current.attempt(&buffer) {
            current.timeout?.cancel()
            waiter = nil
        }
    }

    private func expireWaiter() {
        guard let current = waiter else { return }
        waiter = nil
        current.fail(ProbeFailure(.readTimeout, "no complete answer before the deadline"))
    }

    private func finish(_ failure: ProbeFailure) {
        if terminal == nil { terminal = failure }
        if let current = waiter {
            waiter = nil
            current.timeout?.cancel()
            current.fail(terminal ?? failure)
        }
        if let promise = handshake {
            handshake = nil
            handshakeTimeout?.cancel()
            handshakeTimeout = nil
            let reason = terminal ?? failure
            promise.fail(reason.reason == .protocolError ? ProbeFailure(.tlsHandshake, reason.message) : reason)
        }
    }
}

/// What a finished handshake showed, taken while the TLS handler is still in the pipeline.
struct TLSHandshakeInfo: Sendable {
    var version: TLSVersion?
    /// DER of the peer's leaf certificate.
    var leafCertificate: [UInt8]?
}

extension NIOSSLCertificate {
    var derBytes: [UInt8]? { try? toDERBytes() }
}
