#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two system calls around `SocketErrorReport`: ask for ICMP errors on a socket, and read
/// the one the kernel queued. Unprivileged; Linux only (elsewhere both do nothing).
enum SocketErrorQueue {
    /// `IP_RECVERR` / `IPV6_RECVERR` on. Besides queueing the error with its sender, it makes a
    /// TCP connect fail at the first ICMP error instead of retrying SYNs until its timeout.
    static func enable(_ fd: Int32, ipv6: Bool, on: Bool = true) {
        #if os(Linux)
        var value: Int32 = on ? 1 : 0
        if ipv6 {
            _ = setsockopt(fd, Int32(IPPROTO_IPV6), Int32(IPV6_RECVERR), &value, socklen_t(MemoryLayout<Int32>.size))
        } else {
            _ = setsockopt(fd, Int32(IPPROTO_IP), Int32(IP_RECVERR), &value, socklen_t(MemoryLayout<Int32>.size))
        }
        #endif
    }

    /// The oldest queued error, without blocking; nil when the queue is empty.
    static func read(_ fd: Int32) -> SocketErrorReport? {
        #if os(Linux)
        var payload = [UInt8](repeating: 0, count: 512)
        var control = [UInt8](repeating: 0, count: 512)
        return payload.withUnsafeMutableBytes { payloadBytes -> SocketErrorReport? in
            control.withUnsafeMutableBytes { controlBytes -> SocketErrorReport? in
                var vector = iovec(iov_base: payloadBytes.baseAddress, iov_len: payloadBytes.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer -> SocketErrorReport? in
                    var message = msghdr()
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBytes.baseAddress
                    message.msg_controllen = controlBytes.count
                    guard recvmsg(fd, &message, Int32(MSG_ERRQUEUE) | Int32(MSG_DONTWAIT)) >= 0 else { return nil }
                    return reports(in: UnsafeRawBufferPointer(rebasing: controlBytes[..<Int(message.msg_controllen)])).first
                }
            }
        }
        #else
        return nil
        #endif
    }

    /// Walks the control messages (`struct cmsghdr { size_t len; int level; int type; }`, each
    /// padded to the size_t alignment); the CMSG_* macros do not reach Swift.
    static func reports(in control: UnsafeRawBufferPointer) -> [SocketErrorReport] {
        let word = MemoryLayout<Int>.size
        let headerSize = word + 8
        var offset = 0
        var found: [SocketErrorReport] = []
        while offset + headerSize <= control.count {
            let length = Int(control.loadUnaligned(fromByteOffset: offset, as: UInt.self))
            guard length >= headerSize, offset + length <= control.count else { break }
            let level = control.loadUnaligned(fromByteOffset: offset + word, as: Int32.self)
            let type = control.loadUnaligned(fromByteOffset: offset + word + 4, as: Int32.self)
            let data = [UInt8](control[(offset + headerSize)..<(offset + length)])
            if let report = SocketErrorReport.decode(level: level, type: type, data: data) { found.append(report) }
            offset += (length + word - 1) / word * word
        }
        return found
    }
}

