import NIOCore
import NIOPosix
@testable import PortMatrixEngine
import PortMatrixModel
import PortMatrixTestSupport
import Testing

/// Connection-level faults from in-process peers and bad input; loopback only.
@Suite struct TransportFaultTests {
    @Test func unresolvableNameIsDNS() async {
        let outcome = await Probing.run("tcp", host: "no-such-host.portmatrix.invalid", port: 25)
        #expect(outcome.status == .critical)
        #expect(outcome.reason == .dns)
    }

    @Test func closedPortIsRefused() async throws {
        let server = try await FaultServer.start(PeerScript())
        let port = server.port
        await server.stop()
        let outcome = await Probing.run("tcp", port: port)
        #expect(outcome.reason == .refused)
        #expect(outcome.status == .critical)
    }

    @Test func openPortIsOkWithPhasesAndPeer() async throws {
        try await withRunning(FaultServer.start(PeerScript())) { server in
            let outcome = await Probing.run("tcp", port: server.port)
            #expect(outcome.status == .ok)
            #expect(outcome.reason == nil)
            #expect(outcome.observations.peerAddress == "127.0.0.1:\(server.port)")
            #expect(outcome.phases.connect != nil)
            #expect(outcome.phases.total != nil)
        }
    }

    @Test(.enabled(if: Probing.hasIPv6Loopback, "no ::1 on this host"))
    func ipv6LiteralTarget() async throws {
        try await withRunning(FaultServer.start(host: "::1", PeerScript(onConnect: { $0.send("SSH-2.0-fixture\r\n") }))) { server in
            let outcome = await Probing.run("ssh", host: "::1", port: server.port)
            #expect(outcome.status == .ok)
            #expect(outcome.observations.peerAddress == "[::1]:\(server.port)")
            let bracketed = await Probing.run("ssh", host: "[::1]", port: server.port)
            #expect(bracketed.status == .ok)
        }
    }

    @Test func nonLocalSourceAddressFailsBeforeSending() async throws {
        try await withRunning(FaultServer.start(PeerScript())) { server in
            let outcome = await Probing.run("tcp", port: server.port, sourceAddress: "192.0.2.1")
            #expect(outcome.reason == .sourceAddress)
            let garbage = await Probing.run("tcp", port: server.port, sourceAddress: "not-an-ip")
            #expect(garbage.reason == .sourceAddress)
        }
    }

    @Test func localSourceAddressIsUsed() async throws {
        try await withRunning(FaultServer.start(PeerScript())) { server in
            let outcome = await Probing.run("tcp", port: server.port, sourceAddress: "127.0.0.1")
            #expect(outcome.status == .ok)
        }
    }

    @Test func silentPeerIsReadTimeout() async throws {
        try await withRunning(FaultServer.start(PeerScript())) { server in
            let outcome = await Probing.run("ssh", port: server.port, seconds: 1)
            #expect(outcome.reason == .readTimeout)
            #expect(outcome.status == .critical)
        }
    }

    @Test func slowDripIsReadTimeout() async throws {
        try await withRunning(FaultServer.start(PeerScript(onConnect: { $0.drip("SSH-2.0-slow", every: .milliseconds(300)) }))) { server in
            let outcome = await Probing.run("ssh", port: server.port, seconds: 1)
            #expect(outcome.reason == .readTimeout)
        }
    }

    @Test func garbageBannerIsProtocolError() async throws {
        try await withRunning(FaultServer.start(PeerScript(onConnect: { link in
            for _ in 0..<40 { link.send("HELLO WORLD\r\n") }
        }))) { server in
            let outcome = await Probing.run("ssh", port: server.port)
            #expect(outcome.reason == .protocolError)
        }
    }

    @Test func unexpectedBannerIsBannerMismatch() async throws {
        try await withRunning(FaultServer.start(PeerScript(onConnect: { $0.send("SSH-2.0-OpenSSH_9.2p1 Debian\r\n") }))) { server in
            let mismatch = await Probing.run("tcp", port: server.port) { $0.expectBanner = "Postfix" }
            #expect(mismatch.reason == .bannerMismatch)
            #expect(mismatch.observations.banner == "SSH-2.0-OpenSSH_9.2p1 Debian")
            let match = await Probing.run("ssh", port: server.port) { $0.expectBanner = "OpenSSH" }
            #expect(match.status == .ok)
        }
    }

    @Test func sshSends1_99AndIgnoresPreambleLines() async throws {
        try await withRunning(FaultServer.start(PeerScript(onConnect: { link in
            link.send("Welcome, here are the rules\r\nSSH-1.99-legacy\r\n")
        }))) { server in
            let outcome = await Probing.run("ssh", port: server.port)
            #expect(outcome.status == .ok)
            #expect(outcome.observations.banner == "SSH-1.99-legacy")
        }
    }

    @Test func sshProtocol1IsRejected() async throws {
        try await withRunning(FaultServer.start(PeerScript(onConnect: { $0.send("SSH-1.5-ancient\r\n") }))) { server in
            let outcome = await Probing.run("ssh", port: server.port)
            #expect(outcome.reason == .protocolError)
        }
    }

    @Test func tenMegabytesOfGarbageEndWithProtocolError() async throws {
        try await withRunning(FaultServer.start(PeerScript(onConnect: { $0.flood(10 * 1024 * 1024) }))) { server in
            // HTTP allows the longest line (8 KiB): still bounded.
            let outcome = await Probing.run("http", port: server.port, seconds: 5)
            #expect(outcome.reason == .protocolError)
        }
    }

    /// Probe code runs on the loop that owns its channel, before and after each await: no
    /// thread hop per read or write (docs/benchmarks-probes.md has what the hops cost).
    @Test func probeCodeRunsOnTheLoopOfItsChannel() async throws {
        try await withRunning(FaultServer.start(PeerScript(onConnect: { $0.send("one\r\ntwo\r\n") }))) { server in
            let request = ProbeRequest(host: "127.0.0.1", port: server.port, transport: .tcp, deadline: .now() + .seconds(5))
            var onLoop: [Bool] = []
            let outcome = await ProbeSession.run(request, context: Probing.context) { connection in
                onLoop.append(connection.channel.eventLoop.inEventLoop)
                _ = try await connection.readLine()
                onLoop.append(connection.channel.eventLoop.inEventLoop)
                try await connection.write("hello\r\n")
                onLoop.append(connection.channel.eventLoop.inEventLoop)
                _ = try await connection.readLine()
                onLoop.append(connection.channel.eventLoop.inEventLoop)
                return "done"
            }
            #expect(outcome.status == .ok, "\(outcome.message)")
            #expect(onLoop == [true, true, true, true])
        }
    }

    @Test func readerNeverBuffersMoreThanItsCap() async throws {
        try await withRunning(FaultServer.start(PeerScript(onConnect: { $0.flood(10 * 1024 * 1024) }))) { server in
            let request = ProbeRequest(host: "127.0.0.1", port: server.port, transport: .tcp, deadline: .now() + .seconds(5))
            let eventLoop = Probing.context.eventLoopGroup.next()
            let closer = ChannelCloser()
            defer { closer.finish() }
            let connection = try await ProbeConnection.open(request, on: eventLoop, closer: closer)
            // A parser that never finds what it wants: the cap, not the deadline, must end it.
            await #expect(throws: ProbeFailure.self) {
                _ = try await connection.read { (_: inout ByteBuffer) -> Int? in nil }
            }
            do {
                _ = try await connection.read { (_: inout ByteBuffer) -> Int? in nil }
            } catch let failure as ProbeFailure {
                #expect(failure.reason == .protocolError)
                #expect(failure.message.contains("65536"))
            }
            await connection.close()
        }
    }

    @Test func peerResetMidDialogueIsReset() async throws {
        try await withRunning(FaultServer.start(PeerScript(
            onConnect: { $0.send("220 fixture ESMTP\r\n") },
            onLine: { _, link in link.reset() }))) { server in
            let outcome = await Probing.run("smtp", port: server.port)
            #expect(outcome.reason == .reset)
            #expect(outcome.status == .critical)
            #expect(outcome.observations.banner == "fixture ESMTP")
        }
    }

    /// Events instead of sleeps: cancelled once the server holds the connection, and done when it
    /// has seen the close; the time limit is what fails a probe that never closes.
    @Test(.timeLimit(.minutes(1)))
    func cancellationClosesTheConnection() async throws {
        let (events, signal) = AsyncStream<Void>.makeStream()
        var event = events.makeAsyncIterator()
        try await withRunning(FaultServer.start(PeerScript(onConnect: { _ in signal.yield() }, onClose: { signal.yield() }))) { server in
            let task = Task { await Probing.run("ssh", port: server.port, seconds: 60) }
            await event.next()
            task.cancel()
            let outcome = await task.value
            #expect(outcome.status == .unknown)
            #expect(outcome.message.contains("cancelled"))
            // The server sees the close long before the 60 s deadline.
            await event.next()
            #expect(server.connectionsClosed == 1)
        }
    }
}
