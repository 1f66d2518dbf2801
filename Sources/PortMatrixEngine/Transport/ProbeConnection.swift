import NIOCore
import NIOPosix
import NIOSSL
import PortMatrixModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One TCP conversation of a probe: resolve, bind, connect (directly or through an HTTP CONNECT
/// proxy), bounded reads, writes, TLS first or in-band. Every TCP probe talks through this type,
/// so connect, proxy, TLS and read limits exist once.
///
/// Not Sendable: it belongs to the task running the probe, which runs on the channel's event
/// loop (`ProbeSession` makes the loop the task's executor). What touches the channel still goes
/// through the loop's futures, so it stays correct wherever it is called from.
final class ProbeConnection {
    /// Hard cap of bytes buffered from the peer at any time.
    static let bufferCapacity = 64 * 1024

    let request: ProbeRequest
    let channel: any Channel
    private let reader: NIOLoopBound<BoundedReader>
    private let started: NIODeadline
    private var connectedAt: NIODeadline
    var timings = PhaseTimings()
    var observations = Observations()

    /// TCP_MAXSEG of this connection's socket; set on the MTU black hole retry.
    private(set) var maximumSegmentSize: Int32?

    private init(request: ProbeRequest, channel: any Channel, reader: NIOLoopBound<BoundedReader>, started: NIODeadline) {
        self.request = request
        self.channel = channel
        self.reader = reader
        self.started = started
        self.connectedAt = .now()
    }

    // MARK: - Opening

    /// Connects to `request.host:port`, through `request.proxy` when set. The channel is handed
    /// to `closer` as soon as it exists so a cancelled task closes it.
    /// `maximumSegmentSize` sets TCP_MAXSEG before connect (the MTU black hole retry).
    static func open(_ request: ProbeRequest, on eventLoop: any EventLoop, closer: ChannelCloser,
                     maximumSegmentSize: Int32? = nil) async throws -> ProbeConnection {
        let started = NIODeadline.now()
        let dialHost = request.proxy?.host ?? request.address ?? request.host
        let dialPort = request.proxy?.port ?? request.port

        var source: SocketAddress?
        if let text = request.sourceAddress {
            guard let address = try? SocketAddress(ipAddress: text, port: 0) else {
                throw ProbeFailure(.sourceAddress, "source address \(text) is not an IP address")
            }
            source = address
        }

        var candidates: [SocketAddress]
        do {
            candidates = try await AddressResolver.resolve(dialHost, port: dialPort, deadline: request.deadline, on: eventLoop)
        } catch let failure as ProbeFailure where request.proxy != nil && failure.reason == .dns {
            throw ProbeFailure(.proxyError, "proxy \(dialHost): \(failure.message)")
        }
        let resolved = NIODeadline.now()
        if let source {
            candidates = candidates.filter { $0.isSameFamily(as: source) }
            guard !candidates.isEmpty else {
                throw ProbeFailure(.sourceAddress, "\(dialHost) has no address of the family of source \(request.sourceAddress ?? "")")
            }
        }
        try Task.checkCancellation()

        var lastFailure = ProbeFailure.noAnswer
        var connected: (any Channel, NIOLoopBound<BoundedReader>)?
        for address in candidates {
            guard request.deadline - .now() > .zero else { break }
            // The reader is created with the channel, before the first byte can arrive (an SMTP
            // greeting comes right after connect), and handed out through this promise.
            let readerPromise = eventLoop.makePromise(of: NIOLoopBound<BoundedReader>.self)
            let bootstrap = ClientBootstrap(group: eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let reader = BoundedReader(capacity: bufferCapacity)
                        try channel.pipeline.syncOperations.addHandler(reader)
                        readerPromise.succeed(NIOLoopBound(reader, eventLoop: channel.eventLoop))
                    }
                }
            do {
                // Our own socket, so an ICMP answer can be read with its sender (SocketDialer).
                let options = SocketDialer.Options(source: source, maximumSegmentSize: maximumSegmentSize)
                let fd = try await SocketDialer.connect(to: address, deadline: request.deadline, options: options, on: eventLoop)
                let channel: any Channel
                do {
                    channel = try await bootstrap.withConnectedSocket(fd).get()
                } catch {
                    _ = Glibc.close(fd)
                    throw error
                }
                closer.attach(channel)
                let reader = try await readerPromise.futureResult.get()
                connected = (channel, reader)
                break
            } catch {
                readerPromise.fail(error)
                lastFailure = ProbeFailure.connecting(to: address, transport: request.transport, error)
                // A source address that is not ours fails the same way for every candidate.
                if lastFailure.reason == .sourceAddress || error is CancellationError { break }
            }
        }
        try Task.checkCancellation()
        guard let (channel, reader) = connected else {
            if request.proxy != nil, lastFailure.reason != .sourceAddress {
                throw ProbeFailure(.proxyError, "proxy \(dialHost):\(dialPort): \(lastFailure.message)")
            }
            throw lastFailure
        }

        let connection = ProbeConnection(request: request, channel: channel, reader: reader, started: started)
        connection.maximumSegmentSize = maximumSegmentSize
        connection.timings.resolve = resolved.seconds(since: started)
        connection.observations.peerAddress = channel.remoteAddress?.endpointText
        if request.proxy != nil {
            connection.observations.route = "proxy"
            do {
                try await connection.tunnel()
            } catch {
                try? await channel.close()
                throw error
            }
            connection.observations.peerAddress = "\(request.host):\(request.port)"
        }
        connection.connectedAt = .now()
        connection.timings.connect = connection.connectedAt.seconds(since: resolved)
        return connection
    }

    /// HTTP CONNECT: 2xx opens the tunnel; another status is the proxy saying no.
    private func tunnel() async throws {
        let authority = request.host.contains(":") ? "[\(request.host)]:\(request.port)" : "\(request.host):\(request.port)"
        try await write("CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\nUser-Agent: portmatrix\r\n\r\n")
        let head: String
        do {
            head = try await read(phase: .proxying) { buffer in
                switch HTTPResponseHead.scan(buffer.readableBytesView) {
                case .head(let head, let consumed):
                    buffer.moveReaderIndex(forwardBy: consumed)
                    return head
                case .incomplete: return nil
                case .tooLong: throw ProbeFailure(.proxyError, "proxy answer head longer than 8 KiB")
                }
            }
        } catch let failure as ProbeFailure {
            switch failure.reason {
            case .proxyError, .readTimeout: throw ProbeFailure(.proxyError, "proxy: \(failure.message)")
            default: throw ProbeFailure(.proxyError, "proxy closed or failed before answering CONNECT: \(failure.message)")
            }
        }
        let statusLine = HTTPResponseHead.statusLine(of: head)
        guard let status = HTTPStatusLine(statusLine), status.version.hasPrefix("HTTP/1.") else {
            throw ProbeFailure(.proxyError, "proxy sent no HTTP status line: \(statusLine.prefix(80).printable)")
        }
        guard (200...299).contains(status.code) else {
            throw ProbeFailure(.proxyDenied, "proxy refused CONNECT \(authority): \(statusLine.printable)")
        }
    }

    // MARK: - Reading

    /// Waits until `parse` finds a complete unit in what the peer sent, at most until the deadline.
    func read<T: Sendable>(phase: ProbeFailure.Phase = .reading,
                           _ parse: @escaping @Sendable (inout ByteBuffer) throws -> T?) async throws -> T {
        let reader = self.reader
        let deadline = request.deadline
        let eventLoop = channel.eventLoop
        do {
            return try await eventLoop.flatSubmit {
                reader.value.read(deadline: deadline, on: eventLoop, parse)
            }.get()
        } catch {
            throw ProbeFailure.from(error, phase: phase)
        }
    }

    /// One line without its CR LF. Longer than `maxLength` bytes is a protocol error, so a
    /// peer cannot make us buffer an endless line.
    func readLine(maxLength: Int = 4096) async throws -> String {
        try await read { buffer in
            switch TextLine.scan(buffer.readableBytesView, maxLength: maxLength) {
            case .line(let bytes, let consumed):
                buffer.moveReaderIndex(forwardBy: consumed)
                return String(decoding: bytes, as: UTF8.self)
            case .incomplete:
                return nil
            case .tooLong:
                let start = String(decoding: buffer.readableBytesView.prefix(60), as: UTF8.self)
                throw ProbeFailure(.protocolError, "line longer than \(maxLength) bytes: \(start.printable)")
            }
        }
    }

    /// Exactly `count` bytes.
    func readBytes(_ count: Int) async throws -> [UInt8] {
        try await read { buffer in buffer.readBytes(length: count) }
    }

    // MARK: - Writing

    func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }

    func write(_ bytes: [UInt8]) async throws {
        do {
            try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).get()
            acknowledgeQuickly()
        } catch {
            throw ProbeFailure.from(error, phase: .writing)
        }
    }

    // MARK: - TLS

    /// Puts TLS in front of the conversation (TLS-first right after connect, or after a
    /// STARTTLS exchange) and records what the handshake showed in `observations.tls`.
    @discardableResult
    func startTLS() async throws -> TLSObservation {
        let options = request.options
        let handshakeStart = NIODeadline.now()
        let (sslContext, serverName) = try TLSInspector.makeContext(options: options, host: request.host)
        let reader = self.reader
        // A direct connection at the default MSS gets half the time left for the handshake:
        // if it stalls, the other half retries with MSS 536 (a path MTU black hole).
        let mayStall = request.proxy == nil && maximumSegmentSize == nil
        let deadline = mayStall ? handshakeStart + .nanoseconds((request.deadline - handshakeStart).nanoseconds / 2) : request.deadline
        let eventLoop = channel.eventLoop
        let channel = self.channel
        let info: TLSHandshakeInfo
        do {
            info = try await eventLoop.flatSubmit { () -> EventLoopFuture<TLSHandshakeInfo> in
                guard reader.value.pendingBytes == 0 else {
                    // Plaintext after the go-ahead would be a command injection (CVE-2011-0411 class).
                    return eventLoop.makeFailedFuture(ProbeFailure(.protocolError, "peer sent data after agreeing to start TLS"))
                }
                do {
                    let handler = try NIOSSLClientHandler(context: sslContext, serverHostname: serverName)
                    try channel.pipeline.syncOperations.addHandler(handler, position: .first)
                } catch {
                    return eventLoop.makeFailedFuture(error)
                }
                return reader.value.awaitHandshake(deadline: deadline, on: eventLoop)
            }.get()
        } catch {
            let failure = ProbeFailure.from(error, phase: .tls)
            if mayStall, failure.reason == .tlsHandshake, failure.message == BoundedReader.handshakeTimedOut {
                throw HandshakeStalled(after: NIODeadline.now().seconds(since: handshakeStart))
            }
            throw failure
        }
        timings.tls = (timings.tls ?? 0) + NIODeadline.now().seconds(since: handshakeStart)
        let observation = TLSInspector.inspect(info, verified: options.verifyCertificate ? true : nil)
        observations.tls = observation
        if let days = observation.daysLeft, days < 0 {
            throw ProbeFailure(.certInvalid, "certificate expired \(-days) days ago (\(observation.subject ?? "?"))")
        }
        return observation
    }

    /// After a write, what the peer sends next is acknowledged at once. A TLS 1.3 server sends
    /// its session tickets while our first command is on its way; with Nagle on its socket
    /// (Postfix) the answer then waits for our ACK of the tickets, which Linux delays by 40 ms
    /// because sending put the socket in interactive mode: without this, most STARTTLS checks
    /// reported 40 ms more than the path costs. The mode does not stick, hence once per write.
    private func acknowledgeQuickly() {
        #if os(Linux)
        let option = ChannelOptions.tcpOption(NIOBSDSocket.Option(rawValue: TCP_QUICKACK))
        _ = channel.setOption(option, value: 1)
        #endif
    }

    // MARK: - Closing

    /// Closes the channel; safe to call twice.
    func close() async {
        try? await channel.close()
    }

    /// Seconds from connect to the first byte from the peer, once there was one.
    func finalizeTimings() async {
        let reader = self.reader
        let firstByte = try? await channel.eventLoop.submit { reader.value.firstByteAt }.get()
        if let firstByte {
            timings.firstByte = max(0, firstByte.seconds(since: connectedAt))
        }
        timings.total = NIODeadline.now().seconds(since: started)
    }
}

/// A TLS handshake over a working connection that made no progress within its share of the
/// time: the caller retries once with a small MSS (`ProbeSession`).
struct HandshakeStalled: Error, Sendable {
    var after: Double
}
