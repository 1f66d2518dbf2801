import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PortMatrixTestSupport

/// A plain TCP client on loopback, for what curl will not send: garbage, half requests,
/// pipelined requests, a connection that says nothing.
final class RawConnection {
    private var fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed (errno \(errno))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            Glibc.close(fd)
            throw TestFailure("connect to 127.0.0.1:\(port) failed (errno \(errno))")
        }
        // Every read gives up after 20 s: a server that never answers fails the test, not hangs it.
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw TestFailure("send: \(sent) of \(bytes.count) bytes (errno \(errno))") }
    }

    /// Everything the server sends until it closes (or 20 s of silence, reported as `timedOut`).
    func readToEnd() async -> (text: String, closed: Bool) {
        let fd = self.fd
        return await Task.detached {
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    data += buffer[0..<count]
                } else {
                    // 0: orderly close; ECONNRESET also ends the connection; EAGAIN is the timeout.
                    let closed = count == 0 || errno == ECONNRESET
                    return (String(decoding: data, as: UTF8.self), closed)
                }
            }
        }.value
    }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}
