import Foundation
import PortMatrixEngine
import PortMatrixModel
import Testing

@Suite struct ListenerComplianceTests {
    let smtp = ExpectedListener(pathID: "smtp-from-mailserver", port: PortSpec(.tcp, 25))
    let adminHTTPS = ExpectedListener(pathID: "admin-https", port: PortSpec(.tcp, 8443))
    let adminHTTP = ExpectedListener(pathID: "admin-http", port: PortSpec(.tcp, 8080), discouraged: true)
    let nrpe = ExpectedListener(pathID: "nrpe", port: PortSpec(.tcp, 5666))

    let smtpd = Listener(transport: .tcp, address: "0.0.0.0", port: 25, pid: 812, process: "smtpd")

    @Test func presentListenerIsOKAndNamesItsOwner() throws {
        let report = ListenerCompliance.evaluate(expected: [smtp], policy: ListenerSettings(), listeners: [smtpd])
        #expect(report.status == .ok)
        let row = try #require(report.expected.first)
        #expect(row.status == .ok)
        #expect(row.reason == nil)
        #expect(row.message == "tcp/25 on 0.0.0.0 (smtpd, pid 812)")
        #expect(row.listeners == [smtpd])
        #expect(report.summary == "1/1 expected listeners ok, no unexpected listeners")
    }

    @Test func missingListenerIsCriticalNotListening() throws {
        let report = ListenerCompliance.evaluate(expected: [smtp, adminHTTPS], policy: ListenerSettings(), listeners: [smtpd])
        #expect(report.status == .critical)
        #expect(report.missing == [PortSpec(.tcp, 8443)])
        let row = try #require(report.expected.last)
        #expect(row.status == .critical)
        #expect(row.reason == .notListening)
        #expect(row.message == "tcp/8443 not listening")
        #expect(report.summary == "1/2 expected listeners ok; missing: tcp/8443 (admin-https)")
    }

    @Test func loopbackOnlyListenerIsWarning() throws {
        let local = [
            Listener(transport: .tcp, address: "127.0.0.1", port: 5666, pid: 40, process: "portmatrix"),
            Listener(transport: .tcp, address: "::1", port: 5666, pid: 40, process: "portmatrix"),
        ]
        let report = ListenerCompliance.evaluate(expected: [nrpe], policy: ListenerSettings(), listeners: local)
        #expect(report.status == .warning)
        #expect(report.loopbackOnly == [PortSpec(.tcp, 5666)])
        #expect(report.missing.isEmpty)
        let row = try #require(report.expected.first)
        #expect(row.reason == .notListening)
        #expect(row.message == "tcp/5666 listens on 127.0.0.1, ::1 only: unreachable from the network (portmatrix, pid 40)")
        #expect(report.unexpected.isEmpty, "a loopback socket on an expected port is judged there, not as unexpected")
    }

    @Test func loopbackPlusNetworkAddressIsOK() {
        let both = [
            Listener(transport: .tcp, address: "127.0.0.1", port: 5666),
            Listener(transport: .tcp, address: "192.0.2.10", port: 5666),
        ]
        let report = ListenerCompliance.evaluate(expected: [nrpe], policy: ListenerSettings(), listeners: both)
        #expect(report.status == .ok)
        #expect(report.expected.first?.message == "tcp/5666 on 192.0.2.10")
    }

    @Test func discouragedPortOpenIsWarning() throws {
        let lighttpd = Listener(transport: .tcp, address: "::", port: 8080, pid: 9, process: "lighttpd")
        let report = ListenerCompliance.evaluate(expected: [adminHTTP], policy: ListenerSettings(), listeners: [lighttpd])
        #expect(report.status == .warning)
        #expect(report.discouragedOpen == [PortSpec(.tcp, 8080)])
        let row = try #require(report.expected.first)
        #expect(row.reason == .discouraged)
        #expect(row.message.hasPrefix("tcp/8080 on :: (lighttpd, pid 9): discouraged"))
        #expect(report.summary == "0/1 expected listeners ok; discouraged open: tcp/8080 (admin-http)")
    }

    @Test func discouragedPortOpenButAllowedIsOK() {
        let open = Listener(transport: .tcp, address: "0.0.0.0", port: 8080)
        let report = ListenerCompliance.evaluate(expected: [adminHTTP], policy: ListenerSettings(allow: [PortSpec(.tcp, 8080)]), listeners: [open])
        #expect(report.status == .ok)
        #expect(report.discouragedOpen.isEmpty)
        #expect(report.allowed.isEmpty, "the port is expected, so it is reported as a row, not as an allowed extra")
    }

    @Test func openPortNotMarkedDiscouragedIsOK() {
        var plain = adminHTTP
        plain.discouraged = false
        let report = ListenerCompliance.evaluate(expected: [plain], policy: ListenerSettings(),
                                                 listeners: [Listener(transport: .tcp, address: "0.0.0.0", port: 8080)])
        #expect(report.status == .ok)
    }

    @Test func discouragedPortClosedOrLoopbackOnlyIsOK() {
        let closed = ListenerCompliance.evaluate(expected: [adminHTTP], policy: ListenerSettings(), listeners: [])
        #expect(closed.status == .ok)
        #expect(closed.missing.isEmpty)
        let local = ListenerCompliance.evaluate(expected: [adminHTTP], policy: ListenerSettings(),
                                                listeners: [Listener(transport: .tcp, address: "127.0.0.1", port: 8080)])
        #expect(local.status == .ok)
        #expect(local.loopbackOnly.isEmpty)
    }

    @Test(arguments: [Status.ok, .warning, .critical])
    func unexpectedListenerTakesThePolicyStatus(policyStatus: Status) throws {
        let mysqld = Listener(transport: .tcp, address: "0.0.0.0", port: 3306, pid: 77, process: "mysqld")
        let report = ListenerCompliance.evaluate(expected: [smtp], policy: ListenerSettings(unexpected: policyStatus), listeners: [smtpd, mysqld])
        #expect(report.unexpected == [mysqld])
        #expect(report.unexpectedStatus == policyStatus)
        #expect(report.status == policyStatus)
        #expect(report.summary == "1/1 expected listeners ok; unexpected: tcp/3306 on 0.0.0.0 (mysqld, pid 77)")
    }

    @Test func transportMatters() {
        // udp/25 is no SMTP listener and tcp/25 expected does not explain it.
        let udp25 = Listener(transport: .udp, address: "0.0.0.0", port: 25)
        let report = ListenerCompliance.evaluate(expected: [smtp], policy: ListenerSettings(), listeners: [udp25])
        #expect(report.missing == [PortSpec(.tcp, 25)])
        #expect(report.unexpected == [udp25])
        #expect(report.status == .critical)
    }

    @Test func allowedListenerIsNotUnexpected() {
        let sshd = Listener(transport: .tcp, address: "0.0.0.0", port: 22, pid: 600, process: "sshd")
        let report = ListenerCompliance.evaluate(expected: [], policy: ListenerSettings(allow: [PortSpec(.tcp, 22)]), listeners: [sshd])
        #expect(report.status == .ok)
        #expect(report.allowed == [sshd])
        #expect(report.unexpected.isEmpty)
    }

    @Test func loopbackListenersAreIgnoredByDefaultOnly() {
        let resolved = Listener(transport: .udp, address: "127.0.0.53", port: 53, pid: 300, process: "systemd-resolve")
        let ignoring = ListenerCompliance.evaluate(expected: [], policy: ListenerSettings(), listeners: [resolved])
        #expect(ignoring.status == .ok)
        #expect(ignoring.ignored == [resolved])
        #expect(ignoring.unexpected.isEmpty)

        let strict = ListenerCompliance.evaluate(expected: [], policy: ListenerSettings(ignoreLoopback: false), listeners: [resolved])
        #expect(strict.status == .warning)
        #expect(strict.unexpected == [resolved])
        #expect(strict.ignored.isEmpty)
    }

    @Test func anyRulePathNeedsOnlyOneEndpoint() throws {
        let ports = [PortSpec(.tcp, 1389), PortSpec(.udp, 1389), PortSpec(.tcp, 1636), PortSpec(.udp, 1636)]
        let expected = ports.map { ExpectedListener(pathID: "keyserver-users-internal", port: $0, rule: .any) }
        let ldaps = Listener(transport: .tcp, address: "0.0.0.0", port: 1636, pid: 2, process: "slapd")

        let satisfied = ListenerCompliance.evaluate(expected: expected, policy: ListenerSettings(), listeners: [ldaps])
        #expect(satisfied.status == .ok)
        #expect(satisfied.missing.isEmpty)
        #expect(satisfied.expected.map(\.status) == [.ok, .ok, .ok, .ok])

        let none = ListenerCompliance.evaluate(expected: expected, policy: ListenerSettings(), listeners: [])
        #expect(none.status == .critical)
        #expect(none.missing == ports)

        // Loopback-only does not satisfy the path: nobody on the network can use it.
        let local = ListenerCompliance.evaluate(expected: expected, policy: ListenerSettings(),
                                                listeners: [Listener(transport: .tcp, address: "127.0.0.1", port: 1636)])
        #expect(local.status == .critical)
        #expect(local.missing.count == 3)
    }

    @Test func portSharedByTwoPathsIsOneRowEachAndNamedOnce() {
        let inbound = ExpectedListener(pathID: "smtp-in-internet", port: PortSpec(.tcp, 25))
        let report = ListenerCompliance.evaluate(expected: [smtp, inbound, smtp], policy: ListenerSettings(), listeners: [])
        #expect(report.expected.map(\.pathID) == ["smtp-from-mailserver", "smtp-in-internet"])
        #expect(report.missing == [PortSpec(.tcp, 25)])
        #expect(report.summary == "0/2 expected listeners ok; missing: tcp/25 (smtp-from-mailserver, smtp-in-internet)")
    }

    @Test func nothingExpectedNothingListeningIsOK() {
        let report = ListenerCompliance.evaluate(expected: [], policy: ListenerSettings(), listeners: [])
        #expect(report.status == .ok)
        #expect(report.summary == "0/0 expected listeners ok, no unexpected listeners")
    }

    @Test func reportEncodesSnakeCaseJSONAndRoundTrips() throws {
        let mysqld = Listener(transport: .tcp, address: "0.0.0.0", port: 3306)
        let report = ListenerCompliance.evaluate(expected: [smtp, adminHTTPS], policy: ListenerSettings(), listeners: [smtpd, mysqld])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(report)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["status"] as? String == "critical")
        #expect(json["unexpected_status"] as? String == "warning")
        #expect(json["loopback_only"] as? [Any] != nil)
        #expect(json["discouraged_open"] as? [Any] != nil)
        let rows = try #require(json["expected"] as? [[String: Any]])
        #expect(rows.first?["path_id"] as? String == "smtp-from-mailserver")
        #expect(rows.first?["transport"] as? String == "tcp")
        #expect(rows.first?["port"] as? Int == 25)
        #expect(rows.first?["reason"] == nil, "no reason on an ok row")
        #expect(rows.last?["reason"] as? String == "not_listening")
        let unexpected = try #require(json["unexpected"] as? [[String: Any]])
        #expect(unexpected.first?["scope"] as? String == "any")
        #expect(unexpected.first?["pid"] == nil, "unknown owners are left out, not null")
        #expect(try JSONDecoder().decode(ListenerReport.self, from: data) == report)
    }

    @Test func singleCheckAgreesWithTheReportAndBecomesAProbeOutcome() throws {
        let everything = [smtpd, Listener(transport: .tcp, address: "127.0.0.1", port: 5666)]
        let report = ListenerCompliance.evaluate(expected: [smtp, nrpe, adminHTTPS], policy: ListenerSettings(), listeners: everything)
        for item in [smtp, nrpe, adminHTTPS] {
            let single = ListenerCompliance.check(item, policy: ListenerSettings(), listeners: everything)
            #expect(report.expected.contains(single))
        }
        let outcome = ListenerCompliance.check(adminHTTPS, policy: ListenerSettings(), listeners: everything).outcome
        #expect(outcome.status == .critical)
        #expect(outcome.reason == .notListening)
        #expect(outcome.message == "tcp/8443 not listening")
    }
}
