import NIOCore
import NIOPosix
import PortMatrixEventLoops
import PortMatrixModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One UDP request and its answer over a *connected* socket: only a connected socket receives
/// ICMP port-unreachable as ECONNREFUSED, which is what tells "closed" apart from "silent".
enum DatagramExchange {
    enum Answer: Sendable {
        /// The datagram and the wall-clock time it arrived (Unix seconds), for SNTP's T4.
        case answered(ByteBuffer, receivedAt: Double)
        /// Nothing acceptable before the deadline: open or filtered, undecidable.
        case silent
    }

    struct Result: Sendable {
        var answer: Answer
        var timings: PhaseTimings
        var peerAddress: String
    }

    /// Sends `payload` to `request.host:port` and waits for a datagram that `accept` likes
    /// (answers to an older query are ignored). Throws `refused` on ICMP port unreachable.
    static func exchange(_ request: ProbeRequest, context: ProbeContext, payload: [UInt8],
                         accept: @escaping @Sendable (ByteBuffer) -> Bool) async throws -> Result {
        let eventLoop = context.eventLoopGroup.next()
        return try await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop)) {
            try await exchange(request, on: eventLoop, payload: payload, accept: accept)
        }
    }

    private static func exchange(_ request: ProbeRequest, on eventLoop: any EventLoop, payload: [UInt8],
                                 accept: @escaping @Sendable (ByteBuffer) -> Bool) async throws -> Result {
        let started = NIODeadline.now()
        var candidates = try await AddressResolver.resolve(request.address ?? request.host, port: request.port,
                                                           deadline: request.deadline, on: eventLoop)
        let resolved = NIODeadline.now()
        var source: SocketAddress?
        if let text = request.sourceAddress {
            guard let address = try? SocketAddress(ipAddress: text, port: 0) else {
                throw ProbeFailure(.sourceAddress, "source address \(text) is not an IP address")
            }
            candidates = candidates.filter { $0.isSameFamily(as: address) }
            source = address
        }
        guard let target = candidates.first else {
            throw ProbeFailure(.sourceAddress, "\(request.host) has no address of the family of source \(request.sourceAddress ?? "")")
        }

        // Our own socket with IP_RECVERR, so an ICMP error names its sender. NIO cannot carry
        // it: its datagram channel closes itself on any ICMP error other than port unreachable.
        let socket: DatagramSocket
        do {
            socket = try DatagramSocket(bindingTo: source, connectingTo: target)
        } catch let failure as SocketDialer.Failure {
            throw ProbeFailure.from(errno: failure.errorNumber, phase: .binding, detail: String(cString: strerror(failure.errorNumber)))
        }
        defer { socket.close() }
        let port = "udp/\(target.port ?? 0)"
        let deadline = request.deadline
        let answer: Answer = try await withTaskCancellationHandler {
            try await SocketDialer.pool.runIfActive(eventLoop: eventLoop) { () throws -> Answer in
                try socket.exchange(payload, until: deadline, port: port, accept: accept)
            }.get()
        } onCancel: {
            socket.interrupt()
        }
        if Task.isCancelled { throw ProbeFailure.cancelled }
        let total = NIODeadline.now().seconds(since: started)
        var timings = PhaseTimings(resolve: resolved.seconds(since: started), total: total)
        if case .answered = answer { timings.firstByte = total - (timings.resolve ?? 0) }
        return Result(answer: answer, timings: timings, peerAddress: target.endpointText)
    }
}

/// Real time, not monotonic: SNTP compares it with the server's clock.
enum WallClock {
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
