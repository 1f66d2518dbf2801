import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connected UDP socket with `IP_RECVERR` for one request and its answer, run on a pool
/// thread (`SocketDialer.pool` for a probe, `Tracer.threads` for a trace's hop): blocking
/// receives bounded by `SO_RCVTIMEO`, the ICMP error that ends the exchange read from the
/// error queue with its sender. Only a connected socket is
/// told of ICMP errors, which is what tells "closed" apart from "silent".
final class DatagramSocket: Sendable {
    /// Internal for `trace`'s hop (DatagramSocket+Hop), which reads the error queue itself.
    let fd: Int32
    private let state = Mutex(State())

    private struct State {
        var closed = false
        var interrupted = false
    }

    /// `source`: the address to send from, nil for the wildcard of `target`'s family.
    /// `timeToLive`: `IP_TTL` / `IPV6_UNICAST_HOPS`, for `trace`.
    init(bindingTo source: SocketAddress?, connectingTo target: SocketAddress, timeToLive: Int32? = nil) throws {
        var wildcard = "0.0.0.0"
        if case .v6 = target { wildcard = "::" }
        let local = try source ?? SocketAddress(ipAddress: wildcard, port: 0)
        let (fd, ipv6) = RawSocket.open(.datagram, for: target)
        guard fd >= 0 else { throw SocketDialer.Failure(errorNumber: errno, report: nil) }
        SocketErrorQueue.enable(fd, ipv6: ipv6)
        if let ttl = timeToLive { RawSocket.setTimeToLive(fd, ttl, ipv6: ipv6) }
        let bound = local.withSockAddr { pointer, size in bind(fd, pointer, socklen_t(size)) }
        let connected = bound == 0 ? target.withSockAddr { pointer, size in connect(fd, pointer, socklen_t(size)) } : -1
        guard connected == 0 else {
            let code = errno
            _ = Glibc.close(fd)
            throw SocketDialer.Failure(errorNumber: code, report: nil)
        }
        self.fd = fd
    }

    /// Sends `payload`, then receives until `accept` likes a datagram (answers to an older
    /// query are skipped), the deadline passes (`.silent`) or an ICMP error arrives (thrown).
    func exchange(_ payload: [UInt8], until deadline: NIODeadline, port: String,
                  accept: @Sendable (ByteBuffer) -> Bool) throws -> DatagramExchange.Answer {
        let sent = payload.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if sent < 0 { throw failure(errno, port: port) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let remaining = (deadline - .now()).nanoseconds / 1000
            guard remaining > 0, !isInterrupted else { return .silent }
            RawSocket.setReceiveTimeout(fd, microseconds: remaining)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if isInterrupted { throw ProbeFailure.cancelled }
            if count >= 0 {
                let receivedAt = WallClock.now()
                let datagram = ByteBuffer(bytes: buffer[0..<count])
                if accept(datagram) { return .answered(datagram, receivedAt: receivedAt) }
                continue
            }
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { continue }
            throw failure(code, port: port)
        }
    }

    private func failure(_ code: Int32, port: String) -> ProbeFailure {
        if let report = SocketErrorQueue.read(fd), let verdict = ProbeFailure.network(report, port: port) { return verdict }
        return ProbeFailure.from(errno: code, phase: .reading, detail: String(cString: strerror(code)))
    }

    /// Whether `interrupt()` was called: a receive that returns then was ended by it.
    var isInterrupted: Bool { state.withLock { $0.interrupted } }

    /// Ends a receive in progress (task cancelled).
    func interrupt() {
        state.withLock { state in
            state.interrupted = true
            if !state.closed { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    func close() {
        state.withLock { state in
            if !state.closed { _ = Glibc.close(fd) }
            state.closed = true
        }
    }
}
