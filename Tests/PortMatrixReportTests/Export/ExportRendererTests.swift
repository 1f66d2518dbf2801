import PortMatrixModel
@testable import PortMatrixReport
import Testing

/// The pieces of `portmatrix export` that real Nagios and Icinga 2 do not see in the CLI
/// tests: connection defaults and each escaping rule.
struct ExportRendererTests {
    func connection(listen: [String], tls: Bool = true) -> MonitoringExport.Connection? {
        MonitoringExport.Connection(listen: listen, tls: tls)
    }

    @Test func connectionDefaultsComeFromTheListenAddresses() throws {
        let wildcard = try #require(connection(listen: ["0.0.0.0:5666", "[::]:5666"]))
        #expect(wildcard.address == nil)
        #expect(wildcard.port == 5666)
        #expect(wildcard.tls)
        let specific = try #require(connection(listen: ["[::]:5667", "[2001:db8::5]:15666", "10.0.0.5:25666"], tls: false))
        #expect(specific.address == "2001:db8::5")
        #expect(specific.port == 15666)
        #expect(!specific.tls)
        #expect(connection(listen: []) == nil)
    }

    @Test func nagiosArgumentsEscapeMacrosSeparatorsAndComments() {
        #expect(NagiosObjectsRenderer.argument("a$b!c;d\ne") == "a$$b\\!c\\;d e")
        #expect(NagiosObjectsRenderer.value("x;y\r\nz") == "x\\;y z")
        #expect(NagiosObjectsRenderer.shellWord("dns-internal") == "dns-internal")
        #expect(NagiosObjectsRenderer.shellWord("it's") == "'it'\\''s'")
        #expect(NagiosObjectsRenderer.shellWord("a b") == "'a b'")
        #expect(NagiosObjectsRenderer.shellWord("") == "''")
        #expect(NagiosObjectsRenderer.shellWord("grüezi") == "'grüezi'")
        #expect(NagiosObjectsRenderer.checkIntervalMinutes(.seconds(1)) == 1)
        #expect(NagiosObjectsRenderer.checkIntervalMinutes(.seconds(60)) == 1)
        #expect(NagiosObjectsRenderer.checkIntervalMinutes(.seconds(61)) == 2)
    }

    @Test func icingaStringsEscapeQuotesBackslashesAndMacros() {
        #expect(Icinga2ObjectsRenderer.string("a\"b\\c\nd\te") == "\"a\\\"b\\\\c\\nd\\te\"")
        #expect(Icinga2ObjectsRenderer.macroString("$x$") == "\"$$x$$\"")
    }

    @Test func objectNamesRejectWhatTheServersRefuse() {
        #expect(MonitoringExport.problem(withObjectName: "gw1.example.internal") == nil)
        #expect(MonitoringExport.problem(withObjectName: "gw_1-a") == nil)
        for bad in ["", "gw 1", "gw!1", "gw;1", "gw$1", "gw\"1", "gw\t1", "gw\u{7}1"] {
            #expect(MonitoringExport.problem(withObjectName: bad) != nil, "\(bad)")
        }
        #expect(MonitoringExport.objectNameSafe("a!b c") == "a_b c")
    }
}
