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

/// A listening TCP socket on 127.0.0.1 owned by the test process itself.
public struct TCPListener {
    public let fd: Int32
    public let port: Int

    public init() throws {
        fd = try loopbackSocket(SOCK_STREAM)
        do {
            port = try bindLoopback(fd)
            guard listen(fd, 8) == 0 else { throw TestFailure("listen failed (errno \(errno))") }
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    public func close() { _ = Glibc.close(fd) }
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
