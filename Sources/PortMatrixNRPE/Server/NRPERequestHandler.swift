import Logging
import NIOCore
import NIOSSL
import NIOTLS
import PortMatrixEventLoops
import PortMatrixListening

/// Answers the one request of a connection, then closes it (TLS close_notify included).
///
/// Every way a connection ends without a reply goes through ``refuse(context:_:)``, which
/// writes the single log line that nrpe never writes.
final class NRPERequestHandler: ChannelInboundHandler {
    typealias InboundIn = NRPEPacket
    typealias OutboundOut = ByteBuffer

    private enum State {
        case awaitingRequest
        case running
        case done
    }

    private let dispatcher: NRPECommandDispatcher
    private let registry: ConnectionRegistry
    private let requestTimeout: TimeAmount
    private var logger: Logger
    private var peer = "unknown peer"
    private var state = State.awaitingRequest
    private var timeout: Scheduled<Void>?
    private var handshakeCompleted = false
    private let refusals: RefusalLog
    /// `tls.allowed_clients`; when not empty, no request is served before the client's
    /// certificate matched one.
    private let clientPins: [NRPEClientPin]
    private var clientPinned = false

    init(dispatcher: NRPECommandDispatcher, registry: ConnectionRegistry, requestTimeout: TimeAmount, logger: Logger,
         refusals: RefusalLog, clientPins: [NRPEClientPin] = []) {
        self.refusals = refusals
        self.clientPins = clientPins
        self.dispatcher = dispatcher
        self.registry = registry
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        peer = context.channel.remoteAddress.map(\.listenText) ?? peer
        logger[metadataKey: "peer"] = "\(peer)"
        // The clock covers the TLS handshake and the whole request, so a client sending a
        // byte a second cannot hold a connection longer than this (an idle timer would reset).
        let seconds = requestTimeout.nanoseconds / 1_000_000_000
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: requestTimeout) { [self] in
            if state == .awaitingRequest {
                refuse(context: context, "no complete request within \(seconds) s")
            }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timeout?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let packet = unwrapInboundIn(data)
        guard state == .awaitingRequest else { return }
        timeout?.cancel()
        guard clientPins.isEmpty || clientPinned else {
            refuse(context: context, "request before the client certificate was checked against tls.allowed_clients")
            return
        }
        guard packet.type == .query else {
            refuse(context: context, "received a response packet instead of a query")
            return
        }
        state = .running
        registry.markBusy(context.channel)
        let request = NRPERequest(parsing: packet.buffer)
        let version = packet.version
        let dispatcher = dispatcher
        // On the connection's loop: built-ins answer without a thread hop; external commands
        // still block only the thread pool.
        let promise = context.eventLoop.makePromise(of: NRPECommandDispatcher.Outcome.self)
        Task(executorPreference: EventLoopTaskExecutor(context.eventLoop)) {
            promise.succeed(await dispatcher.respond(to: request, outputLimit: NRPEPacket.capacity(of: version)))
        }
        promise.futureResult.assumeIsolated().whenSuccess { [self] outcome in
            guard state == .running else { return }  // the client went away meanwhile
            switch outcome {
            case .refuse(let reason):
                refuse(context: context, reason)
            case .reply(let result):
                reply(context: context, version: version, result: result, command: request.command)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent {
            handshakeCompleted = true
            if !clientPins.isEmpty { checkClientPin(context: context) }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if state == .awaitingRequest {
            refuse(context: context, "client closed the connection before sending a request")
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Bytes after the query are ignored, as nrpe ignores them: the reply still goes out.
        if state == .running, error is NRPEDecodingError { return }
        switch error {
        case let error as NRPEDecodingError:
            refuse(context: context, "invalid request: \(error)")
        case is NIOSSLError where !handshakeCompleted, is BoringSSLError where !handshakeCompleted:
            refuse(context: context, "TLS handshake failed: \(Self.explainHandshakeFailure(error)): \(error)")
        default:
            refuse(context: context, "\(error)")
        }
    }

    private func reply(context: ChannelHandlerContext, version: NRPEPacket.Version, result: NRPEResult, command: String) {
        state = .done
        logger.debug("NRPE: answered '\(command)' from \(peer) with a v\(version.rawValue) packet, state \(result.state)")
        // A client that never reads would hold the connection (and a max_connections slot)
        // forever: the write gets connection_timeout too.
        let seconds = requestTimeout.nanoseconds / 1_000_000_000
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: requestTimeout) { [self] in
            refusals.log(logger, reason: "reply not read", "NRPE: closed connection from \(peer): the reply was not read within \(seconds) s")
            context.close(promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: result.reply(version))))
            .assumeIsolated().whenComplete { [self] _ in
                timeout?.cancel()
                context.close(promise: nil)
            }
    }

    /// The chain already verified against ca_file; the certificate must also be one of
    /// `tls.allowed_clients`.
    private func checkClientPin(context: ChannelHandlerContext) {
        guard let certificate = try? context.pipeline.syncOperations.nioSSL_peerCertificate(),
              let identity = try? NRPEClientPin.Identity(certificate) else {
            refuse(context: context, "no client certificate to check against tls.allowed_clients")
            return
        }
        guard clientPins.contains(where: { $0.matches(identity) }) else {
            refuse(context: context, "client certificate '\(identity.subject)' \(identity.fingerprintText) is not in tls.allowed_clients")
            return
        }
        clientPinned = true
    }

    /// Closes without a reply, as nrpe does, but says why: once per connection.
    private func refuse(context: ChannelHandlerContext, _ reason: String) {
        guard state != .done else { return }
        state = .done
        timeout?.cancel()
        refusals.log(logger, reason: reason, "NRPE: closed connection from \(peer) without reply: \(reason)")
        context.close(promise: nil)
    }

    /// The likely cause in nrpe terms, from BoringSSL's reason code: the raw error alone
    /// sends admins searching (the top complaint in nrpe's issue tracker).
    static func explainHandshakeFailure(_ error: any Error) -> String {
        let text = "\(error)"
        let causes = [
            ("WRONG_VERSION_NUMBER", "not TLS, a plaintext client (check_nrpe -n) on a TLS listener?"),
            ("HTTP_REQUEST", "an HTTP client on the NRPE port"),
            ("UNSUPPORTED_PROTOCOL", "the client offers no TLS version of 1.2 or later"),
            ("PEER_DID_NOT_RETURN_A_CERTIFICATE", "no client certificate while client_certs is require (check_nrpe -C/-K)"),
            ("CERTIFICATE_VERIFY_FAILED", "the client certificate does not verify against ca_file"),
            ("NO_SHARED_CIPHER", "no common cipher (anonymous DH, check_nrpe -d 2, is not offered)"),
        ]
        return causes.first { text.contains($0.0) }?.1 ?? "see the TLS error"
    }
}
