import NIOCore
import Testing
@testable import PortMatrixEngine
import PortMatrixModel

/// The pure rules of `address_families`: which of a name's addresses are probed, why none
/// are, and how their outcomes make one check. The probing itself runs against the real
/// peers on both loopback addresses (DualStackLoopbackTests, RoutedWorldTests).
struct AddressFanOutTests {
    static func address(_ text: String) throws -> SocketAddress { try SocketAddress(ipAddress: text, port: 25) }

    @Test func eachAddressOnceOfTheWantedFamilyAndOfTheSources() throws {
        let resolved = try ["192.0.2.9", "2001:db8::9", "192.0.2.9"].map(Self.address)
        func select(_ families: AddressFamilies, source: String? = nil) -> [String?] {
            AddressFanOut.select(resolved, families: families, sourceAddress: source).map(\.ipAddress)
        }
        #expect(select(.all) == ["192.0.2.9", "2001:db8::9"], "in the resolver's order, the repeat dropped")
        #expect(select(.any) == ["192.0.2.9", "2001:db8::9"])
        #expect(select(.ipv4) == ["192.0.2.9"])
        #expect(select(.ipv6) == ["2001:db8::9"])
        #expect(select(.all, source: "192.0.2.2") == ["192.0.2.9"], "an IPv6 address cannot be reached from an IPv4 source")
        #expect(select(.ipv6, source: "192.0.2.2").isEmpty)
    }

    /// Nothing left to probe says why, naming the setting that excluded the rest.
    @Test func noAddressLeftSaysWhy() {
        #expect(AddressFanOut.noneMessage("mx.example", families: .ipv6, sourceAddress: nil)
                == "mx.example has no IPv6 address (address_families: ipv6)")
        #expect(AddressFanOut.noneMessage("mx.example", families: .ipv4, sourceAddress: "2001:db8::2")
                == "mx.example has no IPv4 address from source 2001:db8::2 (address_families: ipv4)")
        #expect(AddressFanOut.noneMessage("mx.example", families: .all, sourceAddress: "192.0.2.2")
                == "mx.example has no address of the family of source 192.0.2.2")
    }

    /// `all`: the worst address decides and the message names it; `any`: one passing address is enough.
    @Test func allTakesTheWorstAddressAndAnyTheBest() throws {
        let addresses = try [Self.address("192.0.2.9"), Self.address("2001:db8::9")]
        let outcomes: [ProbeOutcome] = [.success("220 mx", phases: PhaseTimings(total: 0.002)),
                                        .failure(.connectTimeout, "no answer")]
        func combine(_ families: AddressFamilies) -> ProbeOutcome {
            AddressFanOut.combine(outcomes, addresses: addresses, families: families, resolveSeconds: 0.001, totalSeconds: 0.5)
        }
        let all = combine(.all)
        #expect(all.status == .critical && all.reason == .connectTimeout)
        #expect(all.message == "IPv4 192.0.2.9: ok; IPv6 2001:db8::9: no answer")
        #expect(all.observations[AddressResults.self]?.entries.map(\.status) == [.ok, .critical])
        let any = combine(.any)
        #expect(any.status == .ok && any.reason == nil)
        #expect(any.message == "IPv4 192.0.2.9: ok; IPv6 2001:db8::9: no answer")
        #expect(any.phases.resolve == 0.001 && any.phases.total == 0.5)
        let none = AddressFanOut.combine([], addresses: [], families: .all, resolveSeconds: 0, totalSeconds: 0)
        #expect(none.status == .unknown && none.reason == .internalError)
    }
}
