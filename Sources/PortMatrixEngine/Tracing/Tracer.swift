import NIOCore
import NIOPosix
import PortMatrixModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What to trace: one concrete check's target, transport and port, as the check sends it.
public struct TraceRequest: Sendable {
    public var host: String
    public var port: Int
    public var transport: Transport
    public var sourceAddress: String?
    /// UDP: the probe's own first datagram (empty for a bare UDP check).
    public var datagram: [UInt8]
    public var maxHops: Int
    public var hopTimeout: Duration
    /// TTLs probed at once. A whole window of silence ends the trace early (a drop).
    public var window: Int

    public init(host: String, port: Int, transport: Transport, sourceAddress: String? = nil, datagram: [UInt8] = [],
                maxHops: Int = 30, hopTimeout: Duration = .seconds(2), window: Int = 8) {
        self.host = host
        self.port = port
        self.transport = transport
        self.sourceAddress = sourceAddress
        self.datagram = datagram
        self.maxHops = maxHops
        self.hopTimeout = hopTimeout
        self.window = window
    }

    /// The longest a trace may take: max hops x the per-hop timeout.
    public var budget: Duration { hopTimeout * maxHops }
}

/// A trace could not be run at all (the name does not resolve, the source address is not local).
public struct TraceError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Hop-by-hop with the path's own packet: a TCP connect (or the probe's first UDP datagram)
/// with `IP_TTL` 1, 2, ... and `IP_RECVERR`, so each router's ICMP time exceeded ends the
/// connect at once and names the hop, unprivileged (no raw socket). TTLs go out a window at a
/// time; the trace stops at the first TTL the target answers, refuses or a firewall rejects.
public enum Tracer {
    /// Its own threads: traces never hold the threads the checks connect on.
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()

    /// One trace per address `request.host` resolves to (of the source address's family),
    /// traced side by side; none outlives `request.budget`.
    public static func trace(_ request: TraceRequest, group: any EventLoopGroup) async throws -> [Trace] {
        let eventLoop = group.next()
        let deadline = NIODeadline.now() + TimeAmount(request.budget)
        let addresses: [SocketAddress]
        do {
            addresses = try await AddressResolver.resolve(request.host, port: request.port, deadline: deadline, on: eventLoop)
        } catch let failure as ProbeFailure {
            throw TraceError(failure.message)
        }
        let from: SocketAddress?
        if let text = request.sourceAddress {
            guard let address = try? SocketAddress(ipAddress: text, port: 0) else {
                throw TraceError("source address \(text) is not an IP address")
            }
            from = address
        } else {
            from = nil
        }
        // The addresses a check of all families probes: each once, of the source's family.
        let targets = AddressFanOut.select(addresses, families: .all, sourceAddress: request.sourceAddress)
        if request.sourceAddress != nil, targets.isEmpty {
            throw TraceError(AddressFanOut.noneMessage(request.host, families: .all, sourceAddress: request.sourceAddress))
        }
        return try await withThrowingTaskGroup(of: (Int, Trace).self) { tasks in
            for (index, address) in targets.enumerated() {
                tasks.addTask {
                    (index, try await trace(request, to: address, from: from, deadline: deadline, on: eventLoop))
                }
            }
            var traces: [(Int, Trace)] = []
            for try await trace in tasks { traces.append(trace) }
            return traces.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    static func trace(_ request: TraceRequest, to address: SocketAddress, from source: SocketAddress?,
                      deadline: NIODeadline, on eventLoop: any EventLoop) async throws -> Trace {
        var hops: [TraceHop] = []
        var first = 1
        let window = max(1, request.window)
        while first <= request.maxHops, NIODeadline.now() < deadline {
            // The agent cancels its traces on stop: no new window of TTLs goes out.
            try Task.checkCancellation()
            let last = min(first + window - 1, request.maxHops)
            let hopDeadline = min(NIODeadline.now() + TimeAmount(request.hopTimeout), deadline)
            let found = try await withThrowingTaskGroup(of: TraceHop.self) { tasks in
                for ttl in first...last {
                    tasks.addTask { try await hop(request, ttl: ttl, to: address, from: source, until: hopDeadline, on: eventLoop) }
                }
                var found: [TraceHop] = []
                for try await hop in tasks { found.append(hop) }
                return found.sorted { $0.ttl < $1.ttl }
            }
            hops += found
            if found.contains(where: { $0.response.isFinal }) { break }
            // A whole window without a word: the packet is gone, not merely one quiet router.
            if found.allSatisfy({ $0.response == .silent }) { break }
            first = last + 1
        }
        return Trace(target: request.host, address: address.ipAddress ?? "?", transport: request.transport,
                     port: request.port, hops: hops)
    }

    /// One TTL: the check's own packet with that TTL, and what came back.
    static func hop(_ request: TraceRequest, ttl: Int, to address: SocketAddress, from source: SocketAddress?,
                    until deadline: NIODeadline, on eventLoop: any EventLoop) async throws -> TraceHop {
        let started = NIODeadline.now()
        func elapsed() -> Double { Double((NIODeadline.now() - started).nanoseconds) / 1e6 }
        switch request.transport {
        case .tcp:
            do {
                let options = SocketDialer.Options(source: source, maximumSegmentSize: nil, timeToLive: Int32(ttl))
                let fd = try await SocketDialer.connect(to: address, deadline: deadline, options: options,
                                                        on: eventLoop, threads: threads)
                let rtt = elapsed()
                close(fd)
                return TraceHop(ttl: ttl, address: address.ipAddress, rttMilliseconds: rtt, response: .connected)
            } catch let failure as SocketDialer.Failure {
                let rtt = elapsed()
                if let report = failure.report {
                    return TraceHop(ttl: ttl, address: report.offender, rttMilliseconds: rtt, response: TraceHop.Response(report.kind))
                }
                if failure.timedOut { return .silent(ttl) }
                return try local(failure.errorNumber, ttl: ttl, target: address, rtt: rtt)
            }
        case .udp:
            let socket: DatagramSocket
            do {
                socket = try DatagramSocket(bindingTo: source, connectingTo: address, timeToLive: Int32(ttl))
            } catch let failure as SocketDialer.Failure {
                throw TraceError("udp socket: \(String(cString: strerror(failure.errorNumber)))")
            }
            defer { socket.close() }
            let payload = request.datagram
            let reply = try await withTaskCancellationHandler {
                try await threads.runIfActive(eventLoop: eventLoop) { try socket.hop(payload, until: deadline) }.get()
            } onCancel: {
                socket.interrupt()
            }
            let rtt = elapsed()
            switch reply {
            case .answered: return TraceHop(ttl: ttl, address: address.ipAddress, rttMilliseconds: rtt, response: .answered)
            case .silent: return .silent(ttl)
            case .network(let report):
                return TraceHop(ttl: ttl, address: report.offender, rttMilliseconds: rtt, response: TraceHop.Response(report.kind))
            case .failed(let code): return try local(code, ttl: ttl, target: address, rtt: rtt)
            }
        }
    }

    /// An errno without an ICMP report: a RST is the target refusing; no route is this host's own.
    private static func local(_ code: Int32, ttl: Int, target: SocketAddress, rtt: Double) throws -> TraceHop {
        switch code {
        case ECONNREFUSED: return TraceHop(ttl: ttl, address: target.ipAddress, rttMilliseconds: rtt, response: .refused)
        case ENETUNREACH, EHOSTUNREACH, EHOSTDOWN, ENETDOWN:
            return TraceHop(ttl: ttl, address: nil, rttMilliseconds: rtt, response: .unreachable)
        case EADDRNOTAVAIL: throw TraceError("source address is not local")
        default: throw TraceError("connect: \(String(cString: strerror(code)))")
        }
    }
}
