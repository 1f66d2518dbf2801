import PortMatrixEngine
import Testing

/// The pure part of `trace`: what a list of hops means.
@Suite struct TraceTests {
    func trace(_ hops: [TraceHop]) -> Trace {
        Trace(target: "mx.example", address: "192.0.2.9", transport: .tcp, port: 25, hops: hops)
    }

    func hop(_ ttl: Int, _ address: String, _ response: TraceHop.Response) -> TraceHop {
        TraceHop(ttl: ttl, address: address, rttMilliseconds: 1, response: response)
    }

    @Test func silenceAfterAHopIsADropAfterIt() {
        let dropped = trace([hop(1, "10.0.0.1", .timeExceeded), hop(3, "192.0.2.1", .timeExceeded), hop(2, "10.0.1.1", .timeExceeded),
                             .silent(4), .silent(5)])
        #expect(dropped.outcome == .dropped)
        #expect(dropped.hops.map(\.ttl) == [1, 2, 3, 4, 5], "sorted by TTL")
        #expect(dropped.verdict == "dropped after hop 3 (192.0.2.1)")
        #expect(trace([.silent(1), .silent(2)]).verdict == "dropped before the first hop: no hop answered tcp/25")
    }

    /// Answers for TTLs beyond the first final one (a window of TTLs goes out at once) are cut.
    @Test func theFirstFinalResponseEndsTheTrace() {
        let reached = trace([hop(1, "10.0.0.1", .timeExceeded), hop(2, "192.0.2.9", .connected), hop(3, "192.0.2.9", .connected)])
        #expect(reached.outcome == .reached)
        #expect(reached.hops.count == 2)
        #expect(reached.verdict == "reached 192.0.2.9 at hop 2 (tcp/25 connected)")
        let rejected = trace([hop(1, "10.0.0.1", .timeExceeded), hop(2, "10.0.0.1", .rejected), .silent(3)])
        #expect(rejected.outcome == .rejected)
        #expect(rejected.verdict == "rejected at hop 2 by 10.0.0.1")
        #expect(trace([hop(1, "192.0.2.9", .refused)]).outcome.arrived)
        #expect(!trace([hop(1, "10.0.0.1", .unreachable)]).outcome.arrived)
    }

    @Test func icmpKindsMapToResponses() {
        #expect(TraceHop.Response(SocketErrorReport(origin: 2, type: 11, code: 0, errorNumber: 113, offender: nil).kind) == .timeExceeded)
        #expect(TraceHop.Response(SocketErrorReport(origin: 2, type: 3, code: 13, errorNumber: 113, offender: nil).kind) == .rejected)
        #expect(TraceHop.Response(SocketErrorReport(origin: 3, type: 1, code: 1, errorNumber: 113, offender: nil).kind) == .rejected)
        #expect(TraceHop.Response(SocketErrorReport(origin: 2, type: 3, code: 1, errorNumber: 113, offender: nil).kind) == .unreachable)
        #expect(TraceHop.Response(SocketErrorReport(origin: 2, type: 3, code: 3, errorNumber: 111, offender: nil).kind) == .refused)
    }
}
