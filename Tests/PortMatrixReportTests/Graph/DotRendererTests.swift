import Foundation
import Testing
@testable import PortMatrixEngine
import PortMatrixEngineTestSupport
import PortMatrixModel
@testable import PortMatrixReport

/// `plan --format dot`: the text itself. That Graphviz reads it and draws these colours is
/// checked with the real `dot` in PortMatrixCLITests/DotCommandTests.
struct DotRendererTests {
    static let site = """
    roles: [appliance]
    choices: { mail_inbound: direct, mail_outbound: smarthost, dns: internal, ntp: internal }
    features: [nrpe, snmp]
    hosts: { smarthost: [relay.test], name-server-internal: [ns.test], email-server: [mail.test] }
    """

    /// The attribute list of one path's edge, or of one role's node.
    func line(_ dot: String, _ id: String) -> String? {
        dot.split(separator: "\n").map(String.init).first { $0.contains("[id=\"\(id)\"") }
    }

    @Test func stringsAreQuotedAndEscapedForTheDOTLexerAndLabels() {
        #expect(DotText.id("appliance") == "\"appliance\"")
        #expect(DotText.id(#"a "b" \c"#) == #""a \"b\" \\c""#)
        #expect(DotText.id("ends in \\") == #""ends in \\""#)
        #expect(DotText.id("two\nlines\r\nthree\rfour") == #""two\nlines\nthree\nfour""#)
        #expect(DotText.id("tab\tnul\u{0}") == "\"tab nul \"")
        // Labels: Graphviz decodes entities there, so a literal & must be written &amp;; \N, \l
        // and friends stay text.
        #expect(DotText.text("R&D \\N \\l") == #""R&amp;D \\N \\l""#)
        #expect(DotText.text(["smtp-in", "tcp/25"]) == #""smtp-in\ntcp/25""#)
        #expect(DotText.id("R&D") == "\"R&D\"", "IDs are names, not labels: no entities")
        #expect(DotText.wrap("Hosts of the internal network (monitoring, clients)", width: 26)
                == ["Hosts of the internal", "network (monitoring,", "clients)"])
    }

    @Test func rolesAreNodesAndEveryPathIsOneEdge() throws {
        let plan = try EngineFixtures.plan(Self.site)
        let dot = DotRenderer.render(plan)
        #expect(dot.hasPrefix("// portmatrix"))
        #expect(dot.contains("digraph \"portmatrix\" {"))
        #expect(dot.hasSuffix("}\n"))
        // One edge per path, in the plan's order, even between the same two roles.
        let edges = dot.split(separator: "\n").filter { $0.contains(" -> ") && $0.contains("[id=\"path:") }
        #expect(edges.count == plan.paths.count)
        let ids = edges.compactMap { edge in
            edge.firstRange(of: "[id=\"path:").map { range in String(edge[range.upperBound...].prefix { $0 != "\"" }) }
        }
        #expect(ids == plan.paths.map(\.id))
        #expect(edges.filter { $0.hasPrefix("  \"appliance\" -> \"internet\"") }.count > 3)

        let smtp = try #require(line(dot, "path:smtp-out-smarthost"))
        #expect(smtp.hasPrefix("  \"appliance\" -> \"smarthost\" "))
        #expect(smtp.contains(#"label="smtp-out-smarthost\ntcp/25""#))
        #expect(smtp.contains("color=\"#000000\""), "no statuses: applicable paths are black")
        #expect(!smtp.contains("dashed"))
        let dns = try #require(line(dot, "path:dns-internal"))
        #expect(dns.contains(#"label="dns-internal\ntcp/53 udp/53""#))

        // The role played here is a double box; the others are labelled with their description.
        let appliance = try #require(line(dot, "role:appliance"))
        #expect(appliance.hasPrefix("  \"appliance\" "))
        #expect(appliance.contains("peripheries=2"))
        #expect(appliance.contains(#"label="appliance\nThe SEPPmail Secure E-Mail\nGateway""#))
        let mail = try #require(line(dot, "role:email-server"))
        #expect(!mail.contains("peripheries"))
        #expect(mail.contains(#"tooltip="The internal e-mail server (e.g. Exchange)""#))
        #expect(!dot.contains("cluster_legend"), "no legend without statuses")
    }

    @Test func pathsThatDoNotApplyAreGreyAndDashedOrLeftOut() throws {
        let plan = try EngineFixtures.plan(Self.site)
        let dot = DotRenderer.render(plan)
        let skipped = try #require(line(dot, "path:smtp-out-internet"))
        #expect(skipped.contains("color=\"#9e9e9e\""))
        #expect(skipped.contains("style=dashed"))
        #expect(skipped.contains("not applicable here: choice mail_outbound=smarthost"))
        // A role only such paths connect is grey too.
        let firewall = try #require(line(dot, "role:firewall"))
        #expect(firewall.contains("dashed"))

        let applicable = DotRenderer.render(plan, options: DotRenderer.Options(applicableOnly: true))
        #expect(line(applicable, "path:smtp-out-internet") == nil)
        #expect(line(applicable, "role:firewall") == nil)
        #expect(line(applicable, "path:smtp-out-smarthost") != nil)
        let edges = applicable.split(separator: "\n").filter { $0.contains("[id=\"path:") }
        #expect(edges.count == plan.paths.filter(\.applies).count)
        #expect(!applicable.contains("dashed"))
    }

    @Test func edgesTakeTheColourOfTheirStatusAndALegendExplainsThem() throws {
        let plan = try EngineFixtures.plan(Self.site)
        let statuses: [String: Status] = ["smtp-out-smarthost": .ok, "dns-internal": .warning, "ntp-internal": .critical,
                                          "nrpe": .unknown, "smtp-out-internet": .skipped, "no-such-path": .critical]
        let dot = DotRenderer.render(plan, statuses: statuses)
        let expected: [(String, String)] = [("smtp-out-smarthost", "#2e7d32"), ("dns-internal", "#ef6c00"),
                                            ("ntp-internal", "#c62828"), ("nrpe", "#7b1fa2"), ("smtp-out-internet", "#9e9e9e"),
                                            ("snmp", "#000000")]
        for (id, colour) in expected {
            let edge = try #require(line(dot, "path:\(id)"))
            #expect(edge.contains("color=\"\(colour)\""), "\(id): \(edge)")
            #expect(edge.contains("fontcolor=\"\(colour)\""), "\(id): the label in the edge's colour")
        }
        #expect(try #require(line(dot, "path:nrpe")).contains("penwidth=2"))
        #expect(try #require(line(dot, "path:nrpe")).contains(#"status: unknown"#))
        #expect(!(try #require(line(dot, "path:snmp")).contains("penwidth")), "no status: thin black")
        #expect(!dot.contains("no-such-path"), "statuses of unknown paths are ignored")
        // A status known for a path the local plan skips still shows (the agent may differ).
        let elsewhere = DotRenderer.render(plan, statuses: ["smtp-out-internet": .critical])
        #expect(try #require(line(elsewhere, "path:smtp-out-internet")).contains("color=\"#c62828\""))

        #expect(dot.contains("subgraph \"cluster_legend\" {"))
        for (caption, colour) in [("ok", "#2e7d32"), ("warning", "#ef6c00"), ("critical", "#c62828"), ("unknown", "#7b1fa2"),
                                  ("no status", "#000000"), ("not applicable here", "#9e9e9e")] {
            #expect(dot.contains("<font color=\"\(colour)\">\(caption)</font>"), "legend: \(caption)")
        }
        #expect(dot.contains("1 ok, 1 warning, 1 critical, 1 unknown"))
        // Only the colours in use beyond the four statuses.
        let allKnown = Dictionary(uniqueKeysWithValues: plan.paths.map { ($0.id, $0.applies ? Status.ok : .skipped) })
        let legend = DotRenderer.render(plan, statuses: allKnown, options: DotRenderer.Options(applicableOnly: true))
        #expect(!legend.contains(">no status<"))
        #expect(!legend.contains(">not applicable here<"))
        #expect(legend.contains(">unknown<"))
    }

    @Test func theTextDependsOnlyOnTheInput() throws {
        let plan = try EngineFixtures.plan(Self.site)
        let pairs: [(String, Status)] = plan.paths.enumerated().map { ($0.element.id, Status.allCases[$0.offset % Status.allCases.count]) }
        let forward = DotRenderer.render(plan, statuses: Dictionary(uniqueKeysWithValues: pairs))
        let backward = DotRenderer.render(plan, statuses: Dictionary(uniqueKeysWithValues: pairs.reversed()))
        #expect(forward == backward)
        #expect(DotRenderer.render(plan) == DotRenderer.render(try EngineFixtures.plan(Self.site)))
        #expect(try MatrixRenderer.plan(plan, format: .dot) == DotRenderer.render(plan))
    }

    @Test func textFromAProfileIsEscaped() {
        let profile = Profile(
            name: "lab", title: "Lab \"A\" & B", source: "test",
            roles: [Role(id: "gw", description: "the \"gateway\" \\ & co\nline two"), Role(id: "mx \"1\"", description: "mail")],
            paths: [MatrixPath(id: "p\"1\\", function: "F", endpoints: [Endpoint(PortSpec(.tcp, 25), probe: "smtp")],
                               source: "gw", target: "mx \"1\"", applies: .required, rule: .all, description: "back\\slash", settings: "")],
            rules: [])
        var configuration = SiteConfiguration()
        configuration.profile = "lab"
        configuration.roles = ["gw"]
        configuration.hosts = ["mx \"1\"": [TargetAddress(host: "mx.test")]]
        let dot = DotRenderer.render(Planner(profile: profile, configuration: configuration).plan())
        #expect(dot.contains(#"label="Lab \"A\" &amp; B\n"#))
        #expect(dot.contains(#"  "gw" [id="role:gw", label="gw\nthe \"gateway\" \\ &amp; co line\ntwo""#))
        #expect(dot.contains(#"  "gw" -> "mx \"1\"" [id="path:p\"1\\", label="p\"1\\\ntcp/25""#))
        #expect(dot.contains(#"back\\slash"#))
    }

    @Test func statusesAreReadFromACheckDocument() async throws {
        let plan = try EngineFixtures.plan("hosts: { vendor-servers: [ok.test], email-server: [down.test] }")
        let engine = EngineFixtures.engine(plan, probes: [EngineFixtures.byHost("ssh"), EngineFixtures.byHost("smtp")])
        let snapshot = await engine.runCycle().snapshot
        let json = try JSON.encodeReport(CheckDocument(snapshot))
        let document = try PathStatusDocument.decode(Data(json.utf8))
        #expect(document.statuses == Dictionary(uniqueKeysWithValues: snapshot.paths.map { ($0.id, $0.status) }))
        #expect(document.statuses["licence-ssh"] == .ok)
        #expect(document.statuses["smtp-to-mailserver"] == .critical)
        #expect(document.statuses["mpki"] == .skipped)

        let repeated = try PathStatusDocument.decode(Data(#"{"paths": [{"id": "a", "status": "ok"}, {"id": "a", "status": "critical"}], "x": 1}"#.utf8))
        #expect(repeated.statuses == ["a": .ok], "the first entry wins; other keys are ignored")
    }

    @Test(arguments: [
        ("", "not a `portmatrix check --format json` document: not JSON"),
        ("{\"paths\": [", "not a `portmatrix check --format json` document: not JSON"),
        ("[]", "not a `portmatrix check --format json` document: expected an object"),
        ("{\"status\": \"ok\"}", "not a `portmatrix check --format json` document: 'paths' is missing"),
        ("{\"paths\": {}}", "paths: expected an array"),
        ("{\"paths\": [{\"status\": \"ok\"}]}", "paths[0]: 'id' is missing"),
        ("{\"paths\": [{\"id\": 7, \"status\": \"ok\"}]}", "paths[0].id: expected a string"),
        ("{\"paths\": [{\"id\": \"a\", \"status\": null}]}", "paths[0].status: expected a string, found null"),
        ("{\"paths\": [{\"id\": \"a\", \"status\": \"ok\"}, {\"id\": \"b\", \"status\": \"fine\"}]}",
         "paths[1].status: 'fine' is not one of ok, warning, critical, unknown, skipped"),
    ])
    func aMalformedDocumentSaysWhatIsWrongAndWhere(json: String, message: String) {
        #expect(throws: PathStatusDocumentError.self) { try PathStatusDocument.decode(Data(json.utf8)) }
        do {
            _ = try PathStatusDocument.decode(Data(json.utf8))
        } catch {
            #expect(error.description == message, "\(json)")
        }
    }
}
