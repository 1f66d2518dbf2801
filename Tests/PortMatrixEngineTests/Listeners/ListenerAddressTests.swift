import PortMatrixEngine
import Testing

@Suite struct ListenerAddressTests {
    @Test(arguments: [
        ("0.0.0.0", ListenerScope.any), ("::", .any),
        ("127.0.0.1", .loopback), ("127.0.0.53", .loopback), ("127.255.255.254", .loopback),
        ("::1", .loopback), ("::ffff:127.0.0.1", .loopback),
        ("192.0.2.10", .specific), ("128.0.0.1", .specific), ("fd00::2", .specific), ("::2", .specific),
        ("::ffff:192.0.2.10", .specific),
    ])
    func classifiesBindScope(text: String, scope: ListenerScope) throws {
        let address = try #require(ListenerAddress(text))
        #expect(address.scope == scope)
    }

    @Test func printsCanonicalText() throws {
        #expect(try #require(ListenerAddress("0:0:0:0:0:0:0:1")).description == "::1")
        #expect(try #require(ListenerAddress("FD00:0:0:0:0:0:0:2")).description == "fd00::2")
        #expect(try #require(ListenerAddress("::FFFF:7F00:1")).description == "::ffff:127.0.0.1")
        #expect(try #require(ListenerAddress("10.0.0.5")).bytes == [10, 0, 0, 5])
    }

    @Test func rejectsWhatIsNoAddress() {
        #expect(ListenerAddress("localhost") == nil)
        #expect(ListenerAddress("") == nil)
        #expect(ListenerAddress(bytes: [1, 2, 3]) == nil)
    }
}
