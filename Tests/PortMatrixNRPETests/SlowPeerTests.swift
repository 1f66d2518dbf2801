import Foundation
import PortMatrixTestSupport
import Testing
@testable import PortMatrixNRPE

/// Peers that hold on: a plugin that closes stdout and keeps running, a client that never
/// reads its reply. Both are cut off by a timeout, and other clients are served meanwhile.
@Suite(.enabled(if: CheckNRPE.isInstalled, "needs nagios-nrpe-plugin"))
struct SlowPeerTests {
    @Test func pluginThatClosesStdoutAndKeepsRunningTimesOut() async throws {
        let marker = "618.\(getpid())"
        let server = try await TestServer.start {
            $0.commandTimeout = 1
            $0.commands = ["detach": "sh -c 'exec >&-; exec sleep \(marker)'"]
        }
        let result = await server.check(["-c", "detach"])
        let normal = await server.check()
        await server.stop()
        #expect(result.text == "NRPE: Command timed out after 1 seconds")
        #expect(result.status == 3)
        #expect(normal.text == "NRPE v4.1.0 (portmatrix)")
        #expect(livingProcesses(withArgument: marker) == [])
    }

    /// A client sends a query for a 64 KiB answer and never reads, with a receive buffer too
    /// small for it: the write cannot finish and used to hold the connection forever.
    @Test func clientThatNeverReadsIsClosedAfterTheTimeout() async throws {
        let server = try await TestServer.start {
            $0.tlsMode = .off
            $0.connectionTimeout = 1
        }
        let client = try TinyWindowClient(port: server.port)
        client.send(NRPEPacket(version: .v4, type: .query, text: "long_output!65000").encoded())
        // Served meanwhile.
        let normal = await server.check(["-n"])
        #expect(normal.text == "NRPE v4.1.0 (portmatrix)")
        var open = server.server.openConnections
        await pollUntil(timeout: 10, every: 0.1) {
            open = server.server.openConnections
            return open == 0
        }
        await server.stop()
        withExtendedLifetime(client) {}
        #expect(open == 0)
        #expect(server.log.messages(containing: "the reply was not read within 1 s").count == 1)
    }
}

/// A TCP client to 127.0.0.1 whose receive buffer and segment size are set before connecting
/// (so the window it advertises stays tiny) and which never reads.
final class TinyWindowClient: Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var size: Int32 = 1024
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        // A small MSS keeps the server's send buffer small too (Linux sizes it from the MSS;
        // loopback's 64 KiB MSS would swallow the whole reply).
        var segment: Int32 = 200
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_MAXSEG, &segment, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            close(fd)
            throw TestFailure("connect to 127.0.0.1:\(port) failed (errno \(errno))")
        }
    }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    deinit { close(fd) }
}
