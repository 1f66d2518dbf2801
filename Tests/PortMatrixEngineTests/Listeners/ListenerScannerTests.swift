import Foundation
import PortMatrixModel
import Testing

@testable import PortMatrixEngine

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

@Suite struct ListenerScannerTests {
    @Test func scansCapturedTablesWithOwners() throws {
        let tree = try FakeProcTree()
        defer { tree.remove() }
        try tree.table("tcp", ProcNetFixtures.tcp)
        try tree.table("tcp6", ProcNetFixtures.tcp6)
        try tree.table("udp", ProcNetFixtures.udp)
        try tree.table("udp6", ProcNetFixtures.udp6)
        // The helper that held the sockets, with the connected sockets it also owned.
        try tree.process("4242", comm: "python3", links: ["socket:[84483]", "socket:[84484]", "socket:[84485]",
                                                           "socket:[84486]", "socket:[84488]", "socket:[84489]"])

        let listeners = try ListenerScanner.scan(procRoot: tree.root)
        #expect(listeners == [
            Listener(transport: .tcp, address: "0.0.0.0", port: 2024, scope: .any),
            Listener(transport: .tcp, address: "127.0.0.1", port: 49341, scope: .loopback, pid: 4242, process: "python3"),
            Listener(transport: .tcp, address: "::ffff:127.0.0.1", port: 55797, scope: .loopback, pid: 4242, process: "python3"),
            Listener(transport: .tcp, address: "::1", port: 55879, scope: .loopback, pid: 4242, process: "python3"),
            Listener(transport: .udp, address: "::1", port: 44549, scope: .loopback, pid: 4242, process: "python3"),
            Listener(transport: .udp, address: "127.0.0.1", port: 60797, scope: .loopback, pid: 4242, process: "python3"),
        ])
    }

    @Test func missingIPv6TablesAreNoError() throws {
        let tree = try FakeProcTree()
        defer { tree.remove() }
        try tree.table("tcp", ProcNetFixtures.tcp)
        let listeners = try ListenerScanner.scan(procRoot: tree.root)
        #expect(listeners.map(\.port) == [2024, 49341])
    }

    @Test func noSocketTablesIsAnError() throws {
        let tree = try FakeProcTree()
        defer { tree.remove() }
        #expect(throws: ListenerScanError.noSocketTables(procRoot: tree.root)) {
            try ListenerScanner.scan(procRoot: tree.root)
        }
    }

    @Test func reusePortSocketsCollapseToTheLowestKnownOwner() {
        let address = ListenerAddress("0.0.0.0")!
        let entries = [100, 101, 102].map {
            ProcNetEntry(transport: .tcp, localAddress: address, localPort: 443, state: ProcNetEntry.tcpListenState, inode: $0)
        }
        let owners = SocketOwnerIndex(owners: [101: SocketOwner(pid: 30, process: "nginx"), 102: SocketOwner(pid: 20, process: "nginx")])
        let listeners = ListenerScanner.listeners(from: entries, owners: owners)
        #expect(listeners == [Listener(transport: .tcp, address: "0.0.0.0", port: 443, scope: .any, pid: 20, process: "nginx")])
    }

    @Test func sameSocketOnTwoTransportsOrAddressesStaysApart() {
        let entries = [
            ProcNetEntry(transport: .tcp, localAddress: ListenerAddress("0.0.0.0")!, localPort: 53, state: 0x0A, inode: 1),
            ProcNetEntry(transport: .udp, localAddress: ListenerAddress("0.0.0.0")!, localPort: 53, state: 0x07, inode: 2),
            ProcNetEntry(transport: .udp, localAddress: ListenerAddress("::")!, localPort: 53, state: 0x07, inode: 3),
        ]
        let listeners = ListenerScanner.listeners(from: entries, owners: SocketOwnerIndex())
        #expect(listeners.map(\.description) == ["tcp/53 on 0.0.0.0", "udp/53 on 0.0.0.0", "udp/53 on ::"])
    }

    // MARK: - The real /proc, with sockets this test process opens on loopback

    @Test(arguments: [("127.0.0.1", false), ("::1", true)])
    func findsOwnLoopbackSocketsInRealProc(address: String, ipv6: Bool) throws {
        let tcp = try LoopbackSocket(address: address, ipv6: ipv6, stream: true)
        let udp = try LoopbackSocket(address: address, ipv6: ipv6, stream: false)
        let comm = try #require(try ProcFile.readText("/proc/\(getpid())/comm")).trimmingCharacters(in: .newlines)

        let listeners = try withExtendedLifetime((tcp, udp)) { try ListenerScanner.scan() }

        let expected = [
            Listener(transport: .tcp, address: address, port: tcp.port, scope: .loopback, pid: Int(getpid()), process: comm),
            Listener(transport: .udp, address: address, port: udp.port, scope: .loopback, pid: Int(getpid()), process: comm),
        ]
        for listener in expected {
            #expect(listeners.contains(listener), "\(listener) not among \(listeners.filter { $0.pid == Int(getpid()) })")
        }
        // comm is the executable name cut to 15 bytes: the test binary's own name.
        #expect(ProcessInfo.processInfo.processName.hasPrefix(comm))
    }

    @Test func closedSocketIsGoneFromRealProc() throws {
        let tcp = try LoopbackSocket(address: "127.0.0.1", ipv6: false, stream: true)
        let port = tcp.port
        #expect(try ListenerScanner.scan().contains { $0.port == port && $0.pid == Int(getpid()) })
        tcp.closeSocket()
        let listeners = try ListenerScanner.scan()
        #expect(!listeners.contains { $0.transport == .tcp && $0.port == port && $0.pid == Int(getpid()) })
    }
}

/// A TCP listener or UDP socket on a loopback address and an ephemeral port, closed on deinit.
private final class LoopbackSocket {
    private var fd: Int32
    let port: Int

    init(address: String, ipv6: Bool, stream: Bool) throws {
        #if canImport(Glibc)
        let socketType = Int32(stream ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue)
        #else
        let socketType = stream ? SOCK_STREAM : SOCK_DGRAM
        #endif
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, socketType, 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var storage = sockaddr_storage()
        var length: socklen_t
        if ipv6 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            _ = inet_pton(AF_INET6, address, &sin6.sin6_addr)
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: sin6, as: sockaddr_in6.self) }
        } else {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            _ = inet_pton(AF_INET, address, &sin.sin_addr)
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: sin, as: sockaddr_in.self) }
        }
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, !stream || listen(fd, 8) == 0 else {
            let error = errno
            _ = close(fd)
            throw POSIXError(.init(rawValue: error) ?? .EIO)
        }
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            _ = close(fd)
            throw POSIXError(.EIO)
        }
        let networkPort = withUnsafeBytes(of: &storage) {
            ipv6 ? $0.load(as: sockaddr_in6.self).sin6_port : $0.load(as: sockaddr_in.self).sin_port
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: networkPort))
    }

    func closeSocket() {
        guard fd >= 0 else { return }
        _ = close(fd)
        fd = -1
    }

    deinit {
        closeSocket()
    }
}
