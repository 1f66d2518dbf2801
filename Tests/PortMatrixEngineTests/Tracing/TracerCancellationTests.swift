import NIOPosix
import PortMatrixTestSupport
import Testing
@testable import PortMatrixEngine

/// The agent cancels its traces when it stops; a trace must end then, not when its hops time out.
@Suite(.timeLimit(.minutes(1)))
struct TracerCancellationTests {
    /// A UDP hop waits for its answer in a blocking receive on the tracer's threads. A hop
    /// that waits out its timeout comes back silent and the one-hop trace returns normally;
    /// only a receive that the cancellation itself ended makes the trace throw.
    @Test func aCancelledUDPTraceEndsWithoutWaitingOutItsHop() async throws {
        let (arrived, signal) = AsyncStream.makeStream(of: Void.self)
        try await withRunning(try await UDPFixture.start { _ in signal.yield(); return nil }) { fixture in
            let request = TraceRequest(host: "127.0.0.1", port: fixture.port, transport: .udp, datagram: Array("hello".utf8),
                                       maxHops: 1, hopTimeout: .seconds(20), window: 1)
            let trace = Task { try await Tracer.trace(request, group: MultiThreadedEventLoopGroup.singleton) }
            for await _ in arrived { break }  // the datagram is out and the hop is waiting
            trace.cancel()
            let result = await trace.result
            #expect(throws: CancellationError.self) { try result.get() }
        }
    }
}
