import NIOCore
@testable import PortMatrixEngine
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `sock_extended_err` + offender as the kernel queues them (bytes as seen in the routed world).
@Suite struct SocketErrorReportTests {
    static func bytes(errno: UInt32, origin: UInt8, type: UInt8, code: UInt8, offender: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: errno.littleEndian) { Array($0) } + [origin, type, code, 0] + [UInt8](repeating: 0, count: 8) + offender
    }

    @Test func adminProhibitedOverIPv4NamesTheFirewall() throws {
        let sockaddr: [UInt8] = [UInt8(AF_INET), 0, 0, 0, 10, 10, 1, 1] + [UInt8](repeating: 0, count: 8)
        let data = Self.bytes(errno: UInt32(EHOSTUNREACH), origin: 2, type: 3, code: 13, offender: sockaddr)
        let report = try #require(SocketErrorReport.decode(level: Int32(IPPROTO_IP), type: Int32(IP_RECVERR), data: data))
        #expect(report.kind == .rejected)
        #expect(report.offender == "10.10.1.1")
        #expect(report.errorNumber == EHOSTUNREACH)
        #expect(report.description == "rejected by 10.10.1.1 (ICMP administratively prohibited)")
    }

    @Test func icmpv6KindsAndOffender() throws {
        var sockaddr: [UInt8] = [UInt8(AF_INET6), 0, 0, 0, 0, 0, 0, 0]
        sockaddr += [0xfd, 0x10, 0, 1] + [UInt8](repeating: 0, count: 11) + [1] + [0, 0, 0, 0]
        for (code, kind) in [(UInt8(1), SocketErrorReport.Kind.rejected), (5, .rejected), (6, .rejected), (0, .unreachable), (3, .unreachable), (4, .portUnreachable)] {
            let data = Self.bytes(errno: UInt32(EHOSTUNREACH), origin: 3, type: 1, code: code, offender: sockaddr)
            let report = try #require(SocketErrorReport.decode(level: Int32(IPPROTO_IPV6), type: Int32(IPV6_RECVERR), data: data))
            #expect(report.kind == kind, "code \(code)")
            #expect(report.offender == "fd10:1::1")
        }
    }

    @Test func timeExceededForTrace() throws {
        let data = Self.bytes(errno: UInt32(EHOSTUNREACH), origin: 2, type: 11, code: 0, offender: [UInt8(AF_INET), 0, 0, 0, 192, 0, 2, 1])
        let report = try #require(SocketErrorReport.decode(level: Int32(IPPROTO_IP), type: Int32(IP_RECVERR), data: data))
        #expect(report.kind == .timeExceeded)
        #expect(report.description == "time exceeded at 192.0.2.1")
    }

    @Test func shortOrForeignMessagesAreNil() {
        #expect(SocketErrorReport.decode(level: Int32(IPPROTO_IP), type: Int32(IP_RECVERR), data: [1, 2, 3]) == nil)
        #expect(SocketErrorReport.decode(level: Int32(SOL_SOCKET), type: 1, data: [UInt8](repeating: 0, count: 32)) == nil)
        // No offender known: the report stands, without a sender.
        let report = SocketErrorReport.decode(level: Int32(IPPROTO_IP), type: Int32(IP_RECVERR),
                                              data: Self.bytes(errno: 113, origin: 2, type: 3, code: 1, offender: [0, 0]))
        #expect(report?.offender == nil)
        #expect(report?.kind == .unreachable)
    }

    /// One control message as the kernel lays it out: `cmsghdr` (size_t len, int level, int
    /// type), the payload, padding to the size_t alignment.
    static func controlMessage(level: Int32, type: Int32, data: [UInt8]) -> [UInt8] {
        let header = MemoryLayout<Int>.size + 8
        let length = header + data.count
        var bytes = withUnsafeBytes(of: UInt(length).littleEndian) { Array($0) }
        bytes += withUnsafeBytes(of: level.littleEndian) { Array($0) } + withUnsafeBytes(of: type.littleEndian) { Array($0) }
        bytes += data
        let word = MemoryLayout<Int>.size
        return bytes + [UInt8](repeating: 0, count: (length + word - 1) / word * word - length)
    }

    /// The walk over several control messages skips foreign ones and their padding, and stops
    /// at one whose length runs past the buffer instead of reading beyond it.
    @Test func theControlMessageWalkSkipsForeignMessagesAndStopsAtATruncatedOne() {
        let closed = Self.bytes(errno: UInt32(ECONNREFUSED), origin: 2, type: 3, code: 3, offender: [UInt8(AF_INET), 0, 0, 0, 127, 0, 0, 1])
        let prohibited = Self.bytes(errno: UInt32(EHOSTUNREACH), origin: 2, type: 3, code: 13, offender: [UInt8(AF_INET), 0, 0, 0, 10, 0, 0, 1])
        var control = Self.controlMessage(level: Int32(SOL_SOCKET), type: 29, data: [1, 2, 3, 4, 5])  // odd length: padded
        control += Self.controlMessage(level: Int32(IPPROTO_IP), type: Int32(IP_RECVERR), data: closed)
        control += Self.controlMessage(level: Int32(IPPROTO_IP), type: Int32(IP_RECVERR), data: prohibited)
        let reports = control.withUnsafeBytes { SocketErrorQueue.reports(in: $0) }
        #expect(reports.map(\.description) == ["closed, reported by 127.0.0.1 (ICMP port unreachable)",
                                               "rejected by 10.0.0.1 (ICMP administratively prohibited)"])
        let truncated = Array(control.dropLast(4))
        #expect(truncated.withUnsafeBytes { SocketErrorQueue.reports(in: $0) }.count == 1, "the cut message is not read")
    }

    /// The kernel's own report, read back from a real socket: a datagram to a closed loopback
    /// port queues ICMP port unreachable from 127.0.0.1 (DatagramFaultTests only sees `refused`,
    /// which the errno alone would also give).
    @Test func aClosedLoopbackPortIsReadFromTheErrorQueueWithItsSender() async throws {
        let port = try await UDPFixture.closedPort()
        let failure = try Self.exchangeFailure(with: SocketAddress(ipAddress: "127.0.0.1", port: port))
        #expect(failure?.reason == .refused)
        #expect(failure?.message == "closed: 127.0.0.1 answered ICMP port unreachable")
    }

    /// The same over IPv6: the wildcard `::` bound for a v6 target, IPV6_RECVERR, an ICMPv6 report.
    @Test(.enabled(if: Probing.hasIPv6Loopback, "no ::1 on this host"))
    func aClosedIPv6LoopbackPortIsReadFromTheErrorQueueWithItsSender() async throws {
        let port = try await UDPFixture.closedPort()
        let failure = try Self.exchangeFailure(with: SocketAddress(ipAddress: "::1", port: port))
        #expect(failure?.reason == .refused)
        #expect(failure?.message == "closed: ::1 answered ICMPv6 port unreachable")
    }

    /// One datagram to `target` on a socket bound to the wildcard; the failure it ended with.
    static func exchangeFailure(with target: SocketAddress) throws -> ProbeFailure? {
        let socket = try DatagramSocket(bindingTo: nil, connectingTo: target)
        defer { socket.close() }
        do {
            let answer = try socket.exchange([0], until: .now() + .seconds(5), port: "udp/\(target.port ?? 0)") { _ in true }
            Issue.record("a closed port answered: \(answer)")
            return nil
        } catch let failure as ProbeFailure {
            return failure
        }
    }
}
