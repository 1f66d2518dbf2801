import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DatagramSocket {
    /// What one TTL-limited datagram brought back.
    enum HopReply: Sendable {
        case answered
        case silent
        /// An ICMP error from the error queue, with its sender.
        case network(SocketErrorReport)
        /// A local error without a queued report (ECONNREFUSED from the target, no route here).
        case failed(Int32)
    }

    /// Sends `payload` once and waits until the deadline for any datagram or an ICMP error.
    /// Blocking: runs on `Tracer.threads`; `interrupt()` ends it with a CancellationError (the
    /// agent's stop does not wait out a hop timeout).
    func hop(_ payload: [UInt8], until deadline: NIODeadline) throws -> HopReply {
        let sent = payload.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if sent < 0 { return reply(errno) }
        var buffer = [UInt8](repeating: 0, count: 2048)
        while true {
            let remaining = (deadline - .now()).nanoseconds / 1000
            if isInterrupted { throw CancellationError() }
            guard remaining > 0 else { return .silent }
            RawSocket.setReceiveTimeout(fd, microseconds: remaining)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if isInterrupted { throw CancellationError() }
            if count >= 0 { return .answered }
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { continue }
            return reply(code)
        }
    }

    private func reply(_ code: Int32) -> HopReply {
        if let report = SocketErrorQueue.read(fd) { return .network(report) }
        return .failed(code)
    }
}
