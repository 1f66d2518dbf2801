@testable import PortMatrixSNMP
import Testing

@Suite struct MIBViewTests {
    let root = PortMatrixMIB.placeholderRoot

    @Test func entriesAreSortedAndAbsentColumnsHaveNoInstance() {
        let view = MIBView(snapshot: Fixtures.small, root: root)
        #expect(view.oids == view.oids.sorted { OID.compare($0, $1) < 0 })
        #expect(Set(view.oids.map { OID($0).description }).count == view.count)
        // pmCheckCertDays.1.1 absent, pmCheckCertDays.2.1 = 20
        #expect(view.value(at: root.arcs + [1, 3, 1, 8, 1, 1]) == nil)
        #expect(view.value(at: root.arcs + [1, 3, 1, 8, 2, 1]) == .integer(20))
        #expect(view.count == Fixtures.expectedWalk(Fixtures.small).count)
    }

    @Test func getNextSkipsToTheFollowingInstance() throws {
        let view = MIBView(snapshot: Fixtures.small, root: root)
        // From pmCheckCertDays.1.1 (absent) to pmCheckCertDays.2.1.
        let next = try #require(view.next(after: root.arcs + [1, 3, 1, 8, 1, 1]))
        #expect(next.oid == root.arcs + [1, 3, 1, 8, 2, 1])
        // From before the subtree to its first scalar.
        #expect(view.next(after: [1, 3, 6, 1])?.oid == root.arcs + [1, 1, 1, 0])
        // Inclusive (AgentX search ranges) returns the start itself.
        #expect(view.next(after: root.arcs + [1, 1, 1, 0], inclusive: true)?.oid == root.arcs + [1, 1, 1, 0])
        #expect(view.next(after: root.arcs + [1, 1, 1, 0])?.oid == root.arcs + [1, 1, 2, 0])
        // Past the last instance: nothing, the agent moves on.
        #expect(view.next(after: root.arcs + [2]) == nil)
    }

    @Test func objectsDistinguishNoSuchInstanceFromNoSuchObject() {
        let view = MIBView(snapshot: Fixtures.small, root: root)
        #expect(view.hasObject(covering: root.arcs + [1, 3, 1, 8, 1, 1]))
        #expect(!view.hasObject(covering: root.arcs + [1, 3, 1, 99, 1, 1]))
        #expect(!view.hasObject(covering: root.arcs + [1, 1, 1]))
    }

    @Test func displayStringsAreCutAt255OctetsOnACharacterBoundary() {
        guard case .string(let bytes) = MIBValue.displayString(String(repeating: "é", count: 200)) else {
            Issue.record("not a string")
            return
        }
        #expect(bytes.count == 254)
        #expect(String(validating: bytes, as: UTF8.self) != nil)
    }

    /// The engine keeps the history (PortMatrixEngineTests.PathHistoryTests); the view serves
    /// the row's previous status as it is, and a row without one has its status.
    @Test func previousStatusIsTheRowsAsTheEngineRecordedIt() {
        var snapshot = Fixtures.small
        snapshot.paths[1].status = .critical
        snapshot.paths[1].previousStatus = .ok
        let view = MIBView(snapshot: snapshot, root: root)
        // pmPathStatus.2 = critical(3), pmPathPreviousStatus.2 = ok(1), pmPathPreviousStatus.1 = its status.
        #expect(view.value(at: root.arcs + [1, 2, 1, 8, 2]) == .integer(3))
        #expect(view.value(at: root.arcs + [1, 2, 1, 11, 2]) == .integer(1))
        #expect(view.value(at: root.arcs + [1, 2, 1, 11, 1]) == .integer(Int32(snapshot.paths[0].status.rawValue)))
    }

    @Test func configurationRejectsWhatNetSNMPConfigLinesCannotCarry() throws {
        let weak = SNMPAgentConfiguration(
            mode: .master, users: [.init(name: "nms", authentication: .sha256, authenticationPassphrase: "short")])
        #expect(throws: SNMPAgentError.self) { try NetSNMPConfigFiles(configuration: weak, root: root) }
        let injected = SNMPAgentConfiguration(mode: .master, communities: [.init(name: "public\nrwcommunity x", source: "default")])
        #expect(throws: SNMPAgentError.self) { try NetSNMPConfigFiles(configuration: injected, root: root) }

        let good = SNMPAgentConfiguration(
            mode: .master, communities: [.init(name: "public", source: "10.0.0.0/8"), .init(name: "six", source: "::1/128")],
            users: [.init(name: "nms", authentication: .sha1, authenticationPassphrase: "authpass1", privacy: .aes, privacyPassphrase: "privpass1")],
            trapSinks: [.init(address: "udp:192.0.2.1:162", community: "traps")])
        let files = try NetSNMPConfigFiles(configuration: good, root: root)
        #expect(files.agentConfiguration.contains("rocommunity public 10.0.0.0/8 -V portmatrix\n"))
        #expect(files.agentConfiguration.contains("rocommunity6 six ::1/128 -V portmatrix\n"))
        #expect(files.agentConfiguration.contains("rouser nms priv -V portmatrix\n"))
        #expect(files.agentConfiguration.contains("trapsess -v 2c -c traps udp:192.0.2.1:162\n"))
        #expect(files.createUserLines == ["createUser nms SHA \"authpass1\" AES \"privpass1\""])
    }

    @Test func reasonsMapTheEngineVocabulary() {
        #expect(MIBFailureReason(name: "connect_timeout") == .connectTimeout)
        #expect(MIBFailureReason(name: "no_target").rawValue == 16)
        #expect(MIBFailureReason(name: "made_up") == .internal)
        #expect(MIBFailureReason.allCases.allSatisfy { MIBFailureReason(name: $0.name) == $0 })
    }
}
