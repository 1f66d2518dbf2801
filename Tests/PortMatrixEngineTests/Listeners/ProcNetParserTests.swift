import PortMatrixModel
import Testing

@testable import PortMatrixEngine

@Suite struct ProcNetParserTests {
    @Test func parsesCapturedTCPTable() throws {
        let entries = ProcNetParser.parse(ProcNetFixtures.tcp, transport: .tcp)
        #expect(entries.count == 4)
        let listen = try #require(entries.first)
        #expect(listen.transport == .tcp)
        #expect(listen.localAddress.description == "127.0.0.1")
        #expect(listen.localPort == 49341)
        #expect(listen.state == ProcNetEntry.tcpListenState)
        #expect(listen.inode == 84483)
        #expect(listen.isListening)
        #expect(entries[1].localAddress.description == "0.0.0.0")
        #expect(entries[1].localPort == 2024)
        // The client and the accepted end of a loopback connection: ESTABLISHED, not listening.
        #expect(entries[2...].allSatisfy { $0.state == 0x01 && !$0.isListening })
    }

    @Test func parsesCapturedTCP6TableWithMappedAndLoopbackAddresses() {
        let entries = ProcNetParser.parse(ProcNetFixtures.tcp6, transport: .tcp)
        #expect(entries.map(\.localAddress.description) == ["::ffff:127.0.0.1", "::1"])
        #expect(entries.map(\.localPort) == [55797, 55879])
        #expect(entries.map(\.inode) == [84485, 84484])
        #expect(entries.allSatisfy { $0.isListening })
    }

    @Test func parsesCapturedUDPTablesAndTellsConnectedFromUnconnected() {
        let v4 = ProcNetParser.parse(ProcNetFixtures.udp, transport: .udp)
        #expect(v4.map(\.localPort) == [53821, 60797])
        #expect(v4.map(\.isListening) == [false, true])
        let v6 = ProcNetParser.parse(ProcNetFixtures.udp6, transport: .udp)
        #expect(v6.count == 1)
        #expect(v6.first?.localAddress.description == "::1")
        #expect(v6.first?.localPort == 44549)
        #expect(v6.first?.isListening == true)
    }

    @Test func udpStateMeansSomethingElseThanTCPState() {
        // 0A is LISTEN for TCP; a UDP socket never listens in that sense, 07 is what counts.
        let tcpClose = ProcNetParser.parseLine("0: 00000000:0035 00000000:0000 07 0:0 0:0 0 0 0 11 1", transport: .tcp)
        let udpUnconnected = ProcNetParser.parseLine("0: 00000000:0035 00000000:0000 07 0:0 0:0 0 0 0 11 1", transport: .udp)
        #expect(tcpClose?.isListening == false)
        #expect(udpUnconnected?.isListening == true)
    }

    @Test(arguments: [
        ("00000000000000000000000000000000", "::", ListenerScope.any),
        ("000000FD000000000000000002000000", "fd00::2", .specific),
        ("000080FE00000000FF00FC00010000FE", "fe80::fc:ff:fe00:1", .specific),
        ("0000000000000000FFFF000000000000", "::ffff:0.0.0.0", .any),
        ("0000000000000000FFFF00000500000A", "::ffff:10.0.0.5", .specific),
        ("0500000A", "10.0.0.5", .specific),
        ("3500007F", "127.0.0.53", .loopback),
    ])
    func decodesLittleEndianWords(hex: String, text: String, scope: ListenerScope) throws {
        let address = try #require(ProcNetParser.parseAddress(hex))
        #expect(address.description == text)
        #expect(address.scope == scope)
    }

    @Test(arguments: [
        "",
        "garbage",
        "   0: 0100007F:0019",
        "   0: 0100007F:0019 00000000:0000 0A 0:0 0:0 0 0 0 notanumber 1",
        "   0: 0100007G:0019 00000000:0000 0A 0:0 0:0 0 0 0 1 1",
        "   0: 100007F:0019 00000000:0000 0A 0:0 0:0 0 0 0 1 1",
        "   0: 0100007F:19 00000000:0000 0A 0:0 0:0 0 0 0 1 1",
        "   0: 0100007F:+019 00000000:0000 0A 0:0 0:0 0 0 0 1 1",
        "   0: 0100007F:0019 00000000:0000 +A 0:0 0:0 0 0 0 1 1",
        "   0: éééé:0019 00000000:0000 0A 0:0 0:0 0 0 0 1 1",
        "   0: 0100007F0019 00000000:0000 0A 0:0 0:0 0 0 0 1 1",
        "   0 0100007F:0019 00000000:0000 0A 0:0 0:0 0 0 0 1 1",
        "   0: 0000000000000000FFFF00000100007F:0019:1 00000000:0000 0A 0:0 0:0 0 0 0 1 1",
    ])
    func skipsMalformedLines(line: String) {
        #expect(ProcNetParser.parseLine(line, transport: .tcp) == nil)
    }

    @Test func keepsGoodLinesAroundGarbage() {
        let text = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
            \u{0}\u{1}binary junk
               0: 00000000:0019 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 812 1 0 100 0 0 10 0
               1: 0000
               2: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 913 1 0 100 0 0 10 0
            """
        let entries = ProcNetParser.parse(text, transport: .tcp)
        #expect(entries.map(\.localPort) == [25, 80])
        #expect(entries.map(\.inode) == [812, 913])
    }
}
