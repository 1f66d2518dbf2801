import NIOPosix
import PortMatrixModel
import Testing
@testable import PortMatrixEngine

/// A trace that cannot be run says why (`TraceError`) before any packet leaves; the agent's
/// evidence and `check --trace` show it as `not traced: <why>`. Nothing is contacted: each
/// case fails at the source address, before a connect or a send.
@Suite struct TracerErrorTests {
    func failure(host: String = "127.0.0.1", _ transport: Transport, source: String) async -> String? {
        let request = TraceRequest(host: host, port: 9, transport: transport, sourceAddress: source,
                                   maxHops: 1, hopTimeout: .milliseconds(500), window: 1)
        do {
            _ = try await Tracer.trace(request, group: MultiThreadedEventLoopGroup.singleton)
            return nil
        } catch let error as TraceError {
            return error.description
        } catch {
            return "not a TraceError: \(error)"
        }
    }

    @Test func aSourceThatIsNotAnIPAddress() async {
        #expect(await failure(.tcp, source: "mail-gw") == "source address mail-gw is not an IP address")
    }

    @Test func aTargetWithoutAnAddressOfTheSourcesFamily() async {
        #expect(await failure(.tcp, source: "::1") == "127.0.0.1 has no address of the family of source ::1")
    }

    /// 192.0.2.1 is no address of this host (as in TransportFaultTests): the bind fails.
    @Test func aSourceThatIsNotLocal() async {
        #expect(await failure(.tcp, source: "192.0.2.1") == "source address is not local")
        #expect(await failure(.udp, source: "192.0.2.1") == "udp socket: Cannot assign requested address")
    }

    @Test func aTraceThatFailedIsAVerdictToo() {
        #expect(EvidenceTracing.verdict(.failure(TraceError("source address is not local"))) == "not traced: source address is not local")
    }

    /// A name with several addresses gets one verdict per address, in the resolver's order.
    @Test func severalAddressesEachGetTheirVerdict() {
        let traces = ["192.0.2.9", "192.0.2.10"].map { address in
            Trace(target: "mx.example", address: address, transport: .tcp, port: 25, hops: [
                TraceHop(ttl: 1, address: "10.0.0.1", rttMilliseconds: 1, response: .timeExceeded), .silent(2),
            ])
        }
        #expect(EvidenceTracing.verdict(.success(traces))
                == "192.0.2.9: dropped after hop 1 (10.0.0.1); 192.0.2.10: dropped after hop 1 (10.0.0.1)")
        #expect(EvidenceTracing.verdict(Array(traces.prefix(1))) == "dropped after hop 1 (10.0.0.1)")
    }
}
