import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Sockets on 127.0.0.1 for tests. All CLOEXEC: children spawned later (the agent, snmpd)
/// must not keep a test's socket open after the test closes it.

/// A loopback port the kernel just handed out and took back: free for the next bind.
public func freePort(_ type: __socket_type = SOCK_STREAM) throws -> Int {
    let fd = try loopbackSocket(type)
    defer { close(fd) }
    return try bindLoopback(fd)
}

/// A loopback UDP port nobody uses right now.
public func freeUDPPort() throws -> UInt16 { UInt16(try freePort(SOCK_DGRAM)) }

/// Sends one datagram to a loopback port, for feeding a server garbage.
public func sendDatagram(_ bytes: [UInt8], toPort port: UInt16) throws {
    let fd = try loopbackSocket(SOCK_DGRAM)
    defer { close(fd) }
    var address = loopbackAddress(port: Int(port))
    let sent = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, pointer, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
    guard sent == bytes.count else { throw TestFailure("sendto sent \(sent) of \(bytes.count) bytes (errno \(errno))") }
}

/// A listening TCP socket on 127.0.0.1 owned by the test process itself. Nobody accepts: the
/// kernel completes each connection into the backlog, so the backlog is as long as the kernel
/// allows (with 8, an agent probing it every second saw timeouts after nine checks).
public struct TCPListener {
    public let fd: Int32
    public let port: Int

    public init() throws {
        fd = try loopbackSocket(SOCK_STREAM)
        do {
            port = try bindLoopback(fd)
            guard listen(fd, SOMAXCONN) == 0 else { throw TestFailure("listen failed (errno \(errno))") }
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    public func close() { _ = Glibc.close(fd) }
}

/// True when no socket is bound to TCP `port` on 127.0.0.1 (for finding a port below 1024, and
/// for "nothing stays bound"). With SO_REUSEADDR, as a server binds: a connection the test made
/// and that now waits in TIME_WAIT on the port does not count, a listener does.
public func isFreeLoopbackPort(_ port: Int) -> Bool {
    guard let fd = try? loopbackSocket(SOCK_STREAM) else { return false }
    defer { Glibc.close(fd) }
    var reuse: Int32 = 1
    guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size)) == 0 else { return false }
    var address = loopbackAddress(port: port)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}

/// A plain TCP client to 127.0.0.1, for what real clients never send: garbage, half requests,
/// pipelined requests, a connection that says nothing. @unchecked Sendable: it is only a file
/// descriptor, used from one place at a time.
public final class LoopbackClient: @unchecked Sendable {
    public private(set) var fd: Int32

    /// `source` binds the client first (127.0.0.2 is a host an allow-list can refuse).
    public init(port: Int, bindTo source: String? = nil) throws {
        fd = try loopbackSocket(SOCK_STREAM)
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, source, &local.sin_addr)
            _ = withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        var address = loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            let code = errno
            Glibc.close(fd)
            throw TestFailure("connect to 127.0.0.1:\(port) failed (errno \(code))")
        }
        // Every read gives up after 20 s: a server that never answers fails the test, not hangs it.
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// False once the server has closed (EPIPE/ECONNRESET).
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// `send` for a test that cannot go on when the bytes do not leave.
    public func write(_ bytes: [UInt8]) throws {
        guard send(bytes) else { throw TestFailure("send of \(bytes.count) bytes failed (errno \(errno))") }
    }

    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    public func finishWriting() { shutdown(fd, Int32(SHUT_WR)) }

    /// Everything the server sends until it closes, or nil when it is still open after `seconds`.
    public func readUntilClosed(seconds: Double) -> [UInt8]? {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pollFD, 1, 100) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return received }  // EOF or reset: closed
            received += buffer[..<count]
        }
        return nil
    }

    /// Everything the server sends until it closes, off the cooperative pool (the server may be
    /// in this process); `closed` is false when 20 s of silence ended the read instead.
    public func readToEnd() async -> (text: String, closed: Bool) {
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

    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}

private func loopbackSocket(_ type: __socket_type) throws -> Int32 {
    let fd = socket(AF_INET, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket failed (errno \(errno))") }
    return fd
}

private func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return address
}

/// Binds to 127.0.0.1 on a kernel-chosen port and returns that port.
private func bindLoopback(_ fd: Int32) throws -> Int {
    var address = loopbackAddress(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw TestFailure("bind failed (errno \(errno))") }
    return Int(UInt16(bigEndian: address.sin_port))
}
