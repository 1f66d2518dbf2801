import Logging
import NIOCore
import NIOPosix
import PortMatrixListening
import PortMatrixTestSupport
import Synchronization
import Testing

/// The listener set both servers share, on real loopback sockets: what start binds, what a
/// reload keeps, closes and binds, and the one failure policy (start: an error, nothing stays
/// bound; reload: logged, the others apply).
@Suite(.serialized)
struct ListenerSetTests {
    /// Greets each connection with "hello" and echoes what it reads, so a test can tell that a
    /// connection accepted before a reload still works after it.
    final class Echo: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelActive(context: ChannelHandlerContext) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "hello\n")), promise: nil)
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.writeAndFlush(data, promise: nil)
        }
    }

    /// A set on the shared event loops; `counter` counts the connections it initialized.
    struct Fixture {
        let set: ListenerSet
        let log = LogRecord()
        let counter = Counter()

        init() {
            let counter = counter
            set = ListenerSet(server: "test", group: MultiThreadedEventLoopGroup.singleton, logger: log.logger(label: "listener-test")) { channel in
                counter.increment()
                return channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Echo()) }
            }
        }
    }

    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func increment() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }

    static func address(_ port: Int) throws -> ListenAddress { try ListenAddress(parsing: "127.0.0.1:\(port)") }

    /// Reads up to and including the next newline (each read gives up after the client's 20 s).
    static func line(_ client: LoopbackClient) -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while recv(client.fd, &byte, 1, 0) == 1 {
            if byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True when a connection to `port` is greeted.
    static func answers(_ port: Int) -> Bool {
        guard let client = try? LoopbackClient(port: port) else { return false }
        defer { client.close() }
        return line(client) == "hello"
    }

    @Test func bindAcceptsNothingUntilServe() async throws {
        let fixture = Fixture()
        let bound = try await fixture.set.bind([try Self.address(0)])
        let port = try #require(bound.first?.port)
        // The kernel completes the connection into the backlog; nobody accepts it yet.
        let early = try LoopbackClient(port: port)
        #expect(fixture.counter.count == 0, "accepted before serve()")
        try await fixture.set.serve()
        #expect(Self.line(early) == "hello", "the waiting connection is accepted once serving")
        #expect(fixture.counter.count == 1)
        await fixture.set.close()
    }

    @Test func updateKeepsUnchangedAddressesWithTheirConnectionsClosesRemovedAndBindsNew() async throws {
        let fixture = Fixture()
        let removed = try freePort(), added = try freePort()
        let bound = try await fixture.set.bind([try Self.address(0), try Self.address(removed)])
        try await fixture.set.serve()
        let kept = try #require(bound.first?.port)
        #expect(bound.map(\.port) == [kept, removed])
        let held = try LoopbackClient(port: kept)
        #expect(Self.line(held) == "hello")

        let change = await fixture.set.update(to: [try Self.address(0), try Self.address(added)])
        #expect(change.kept == [try Self.address(0)])
        #expect(change.closed == [try Self.address(removed)])
        #expect(change.opened.map(\.port) == [added])
        #expect(change.failed.isEmpty)
        #expect(change.bound.map(\.port) == [kept, added], "the unchanged listener keeps its port")
        #expect(await fixture.set.boundAddresses.map(\.port) == [kept, added])

        try held.write("still here\n")
        #expect(Self.line(held) == "still here", "a connection of a kept listener survives the reload")
        #expect(Self.answers(kept))
        #expect(Self.answers(added), "the new listener accepts at once: the set is serving")
        #expect(throws: TestFailure.self, "the removed listener is closed") { try LoopbackClient(port: removed) }
        #expect(fixture.log.messages(containing: "test: listening").count == 2, "\(fixture.log.all)")
        held.close()
        await fixture.set.close()
    }

    @Test func anAddressThatCannotBindAtStartIsAnErrorAndNothingStaysBound() async throws {
        let fixture = Fixture()
        let taken = try TCPListener()
        defer { taken.close() }
        let free = try freePort()
        await #expect(throws: ListenError(server: "test", address: "127.0.0.1:\(taken.port)", reason: "Address already in use")) {
            try await fixture.set.bind([try Self.address(free), try Self.address(taken.port)])
        }
        #expect(isFreeLoopbackPort(free), "the address bound before the failure is closed again")
        #expect(await fixture.set.boundAddresses.isEmpty)
        #expect(fixture.log.messages(containing: "listening").isEmpty, "\(fixture.log.all)")
    }

    @Test func anAddressThatCannotBindOnReloadIsLoggedAndTheOthersApply() async throws {
        let fixture = Fixture()
        let removed = try freePort(), added = try freePort()
        let taken = try TCPListener()
        defer { taken.close() }
        let kept = try #require(try await fixture.set.bind([try Self.address(0), try Self.address(removed)]).first?.port)
        try await fixture.set.serve()

        let change = await fixture.set.update(to: [try Self.address(0), try Self.address(taken.port), try Self.address(added)])
        #expect(change.failed == [ListenError(server: "test", address: "127.0.0.1:\(taken.port)", reason: "Address already in use")])
        #expect(change.bound.map(\.port) == [kept, added])
        #expect(fixture.log.messages(containing: "test: cannot listen on 127.0.0.1:\(taken.port): Address already in use (the other listen addresses apply)").count == 1,
                "\(fixture.log.all)")
        #expect(Self.answers(kept) && Self.answers(added))
        #expect(throws: TestFailure.self, "the removed listener is closed") { try LoopbackClient(port: removed) }

        // The next reload retries it: once free, it binds.
        taken.close()
        let retry = await fixture.set.update(to: [try Self.address(0), try Self.address(taken.port), try Self.address(added)])
        #expect(retry.opened.map(\.port) == [taken.port] && retry.failed.isEmpty)
        #expect(Self.answers(taken.port))
        await fixture.set.close()
    }

    @Test func duplicatesBindOnceAndCloseEndsEverything() async throws {
        let fixture = Fixture()
        let port = try freePort()
        let bound = try await fixture.set.bind([try Self.address(port), try Self.address(port)])
        #expect(bound.map(\.port) == [port])
        try await fixture.set.serve()
        #expect(Self.answers(port))
        await fixture.set.close()
        #expect(throws: TestFailure.self) { try LoopbackClient(port: port) }
        await #expect(throws: ListenError.self, "nothing binds after close") { try await fixture.set.bind([try Self.address(port)]) }
        #expect(await fixture.set.update(to: [try Self.address(port)]).bound.isEmpty)
        #expect(isFreeLoopbackPort(port))
    }
}
