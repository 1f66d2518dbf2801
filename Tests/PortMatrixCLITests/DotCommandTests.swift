import Foundation
import PortMatrixTestSupport
import Testing

/// `plan --format dot` and `check --format dot` read by the real Graphviz: the output must
/// parse, and the SVG it draws must carry the status colours.
@Suite(.serialized, .enabled(if: Graphviz.isInstalled, "needs graphviz (/usr/bin/dot)"))
struct DotCommandTests {
    static let ok = "#2e7d32", warning = "#ef6c00", critical = "#c62828", unknown = "#7b1fa2"
    static let black = "#000000", grey = "#9e9e9e"

    /// Plans only, no probes: the hosts are never contacted.
    static let site = """
    roles: [appliance]
    choices: { mail_inbound: direct, mail_outbound: smarthost, dns: internal, ntp: internal }
    features: [nrpe, snmp]
    hosts: { smarthost: [relay.test], name-server-internal: [ns.test], email-server: [mail.test] }
    """

    /// A status document as `check --format json` writes it, trimmed to what matters, plus a
    /// path this plan does not have.
    static let statusDocument = """
    {"status": "critical", "summary": "…", "paths": [
      {"id": "smtp-out-smarthost", "status": "ok", "message": "fine", "checks": []},
      {"id": "dns-internal", "status": "warning", "message": "slow"},
      {"id": "ntp-internal", "status": "critical", "message": "timeout"},
      {"id": "nrpe", "status": "unknown", "message": "?"},
      {"id": "smtp-out-internet", "status": "skipped", "message": "not applicable here"},
      {"id": "retired-path", "status": "ok", "message": "from an older profile"}
    ], "engine": {}}
    """

    static let expectedColours = ["smtp-out-smarthost": ok, "dns-internal": warning, "ntp-internal": critical, "nrpe": unknown,
                                  "smtp-out-internet": grey, "snmp": black, "licence-ssh": black]

    func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let file = try writeFile(text, name, in: dir)
        return file.path
    }

    @Test func planIsAPictureGraphvizDraws() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write(Self.site, "site.yaml", in: dir)
        let result = try CLIRunner.run(["plan", "--config", config, "--format", "dot"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let drawing = try Graphviz.svg(result.stdout, in: dir)
        // Every path is one edge, every edge drawn; nothing coloured without statuses.
        #expect(drawing.edges.count == (try CLIRunner.profilePathCount()))
        #expect(drawing.edges["smtp-out-smarthost"]?.stroke == Self.black)
        #expect(drawing.edges["smtp-out-smarthost"]?.dashed == false)
        #expect(drawing.edges["smtp-out-smarthost"]?.texts == ["smtp-out-smarthost", "tcp/25"])
        #expect(drawing.edges["dns-internal"]?.texts == ["dns-internal", "tcp/53 udp/53"])
        #expect(drawing.edges["smtp-out-internet"]?.stroke == Self.grey)
        #expect(drawing.edges["smtp-out-internet"]?.dashed == true)
        #expect(drawing.nodes["appliance"] == ["appliance", "The SEPPmail Secure E-Mail", "Gateway"])
        #expect(drawing.nodes["firewall"] != nil)
        #expect(drawing.clusters.isEmpty, "no legend without statuses")

        let applicable = try CLIRunner.run(["plan", "--config", config, "--format", "dot", "--applicable-only"])
        #expect(applicable.status == 0)
        let only = try Graphviz.svg(applicable.stdout, in: dir)
        #expect(only.edges.count == 12)
        #expect(only.edges["smtp-out-internet"] == nil)
        #expect(only.nodes["firewall"] == nil, "a role only skipped paths connect is left out too")
        #expect(only.edges.values.allSatisfy { $0.stroke == Self.black && !$0.dashed })
    }

    @Test func textFromAProfileReachesThePictureVerbatim() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try write(#"""
        name: lab
        title: 'Lab "A" & B \ C'
        roles:
          - { id: gw, description: 'the "gateway" \ & co &amp; more' }
          - { id: 'mx "1"', description: 'ends in a backslash \' }
        paths:
          - { id: 'p"1\', function: F, endpoints: [{ port: tcp/25, probe: smtp }], source: gw, target: 'mx "1"',
              applies: required, description: 'tab\there' }
        """#, "lab.yaml", in: dir)
        let config = try write("profile: lab.yaml\nroles: [gw]\n", "site.yaml", in: dir)
        let result = try CLIRunner.run(["plan", "--config", config, "--format", "dot"])
        #expect(result.status == 0, "\(result.stderr)")
        let drawing = try Graphviz.svg(result.stdout, in: dir)
        #expect(drawing.nodes["gw"] == ["gw", "the \"gateway\" \\ & co &amp;", "more"])
        #expect(drawing.nodes["mx \"1\""] == ["mx \"1\"", "ends in a backslash \\"])
        #expect(drawing.edges["p\"1\\"]?.texts == ["p\"1\\", "tcp/25"])
        #expect(drawing.svg.contains(">Lab &quot;A&quot; &amp; B \\ C</text>"))
    }

    @Test func aStatusFileOrStandardInputColoursTheEdges() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write(Self.site, "site.yaml", in: dir)
        let status = try write(Self.statusDocument, "status.json", in: dir)
        let result = try CLIRunner.run(["plan", "--config", config, "--format", "dot", "--status", status])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "portmatrix: warning: status \(status) names paths this plan does not have, ignored: retired-path\n")
        let drawing = try Graphviz.svg(result.stdout, in: dir)
        for (id, colour) in Self.expectedColours {
            #expect(drawing.edges[id]?.stroke == colour, "\(id)")
        }
        #expect(drawing.edges["ntp-internal"]?.width == "2")
        #expect(drawing.edges["retired-path"] == nil)
        #expect(drawing.clusters == ["legend"])
        #expect(drawing.svg.contains(">not applicable here</text>"))

        // The same from standard input (as `curl -s URL | portmatrix plan ... --status -`).
        let piped = try CLIRunner.tool("/bin/sh", ["-c", "exec \"$0\" plan --config \"$1\" --format dot --status - < \"$2\"",
                                                   CLIRunner.executable.path, config, status])
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout == result.stdout)
        #expect(piped.stderr.contains("status standard input names paths this plan does not have, ignored: retired-path"))
    }

    @Test func badStatusInputIsExit2WithAReasonAndNoPicture() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write(Self.site, "site.yaml", in: dir)
        let cases: [(String?, String)] = [
            (nil, "no such file"),
            ("hello", "not a `portmatrix check --format json` document: not JSON"),
            ("{\"summary\": \"x\"}", "not a `portmatrix check --format json` document: 'paths' is missing"),
            ("{\"paths\": [{\"id\": \"nrpe\", \"status\": \"fine\"}]}", "paths[0].status: 'fine' is not one of ok, warning, critical, unknown, skipped"),
        ]
        for (index, (content, reason)) in cases.enumerated() {
            let file = dir.appendingPathComponent("status-\(index).json").path
            if let content { try content.write(toFile: file, atomically: true, encoding: .utf8) }
            let result = try CLIRunner.run(["plan", "--config", config, "--format", "dot", "--status", file])
            #expect(result.status == 2, "\(reason)")
            #expect(result.stderr == "portmatrix: status \(file): \(reason)\n")
            #expect(result.stdout.isEmpty)
        }
        let empty = try CLIRunner.tool("/bin/sh", ["-c", "exec \"$0\" plan --config \"$1\" --format dot --status - < /dev/null",
                                                   CLIRunner.executable.path, config])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("status standard input: not a `portmatrix check --format json` document: not JSON"))

        // Usage errors: ArgumentParser's exit 64 with the reason.
        for (arguments, reason) in [(["--status", "x.json"], "--status and --applicable-only go with --format dot"),
                                    (["--format", "json", "--applicable-only"], "--status and --applicable-only go with --format dot"),
                                    (["--format", "dot", "--status", "https://127.0.0.1:9166/status.json"], "a URL must be http://HOST[:PORT]/PATH"),
                                    (["--format", "dot", "--status", "http://"], "a URL must be http://HOST[:PORT]/PATH"),
                                    (["--format", "dot", "--status-timeout", "soon"], "--status-timeout 'soon' is not a duration"),
                                    (["--format", "yaml"], "--format must be one of table, json, dot")] {
            let result = try CLIRunner.run(["plan", "--config", config] + arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.contains(reason), "\(arguments): \(result.stderr)")
        }
    }

    /// One cycle against loopback: a socket of this test answers, a closed port refuses.
    @Test func checkDrawsThisCycleAndKeepsThePluginExitCode() throws {
        let peer = try TCPListener()
        defer { peer.close() }
        let closed = try freePort()
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write("""
        roles: [appliance]
        features: []
        hosts: { vendor-servers: [127.0.0.1], email-server: ["127.0.0.1:\(closed)"] }
        paths: { licence-ssh: { endpoints: ["tcp/\(peer.port):tcp"] } }
        schedule: { timeout: 2s }
        """, "site.yaml", in: dir)
        let selection = ["--path", "licence-ssh", "--path", "smtp-to-mailserver"]
        let result = try CLIRunner.run(["check", "--config", config, "--format", "dot"] + selection)
        #expect(result.status == 2, "CRITICAL, as the Nagios output would say: \(result.stderr)")
        let drawing = try Graphviz.svg(result.stdout, in: dir)
        #expect(drawing.edges["licence-ssh"]?.stroke == Self.ok)
        #expect(drawing.edges["licence-ssh"]?.texts == ["licence-ssh", "tcp/\(peer.port)"])
        #expect(drawing.edges["smtp-to-mailserver"]?.stroke == Self.critical)
        #expect(drawing.edges["smtp-to-mailserver"]?.texts == ["smtp-to-mailserver", "tcp/\(closed)"])
        #expect(drawing.edges["smtp-from-mailserver"]?.stroke == Self.black, "not checked in this cycle")
        #expect(drawing.edges["mpki"]?.stroke == Self.grey)
        #expect(drawing.clusters == ["legend"])

        // The JSON of the same cycle colours `plan` the same way.
        let json = try CLIRunner.run(["check", "--config", config, "--format", "json"] + selection)
        #expect(json.status == 2)
        let status = try write(json.stdout, "status.json", in: dir)
        let plan = try CLIRunner.run(["plan", "--config", config, "--format", "dot", "--status", status])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stderr.isEmpty)
        let again = try Graphviz.svg(plan.stdout, in: dir)
        #expect(again.edges.mapValues(\.stroke) == drawing.edges.mapValues(\.stroke))
    }

    /// A canned endpoint, for a document with known statuses (and a path the plan lacks);
    /// StatusEndpointTests reads a real agent's endpoint the same way.
    @Test func statusFromTheAgentsEndpointOverHTTP() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write(Self.site, "site.yaml", in: dir)

        for answer in [CannedHTTPServer.response("200 OK", body: Self.statusDocument), CannedHTTPServer.chunked(Self.statusDocument)] {
            let server = try CannedHTTPServer(answer: answer)
            defer { server.close() }
            let result = try CLIRunner.run(["plan", "--config", config, "--format", "dot", "--status", server.url])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("status \(server.url) names paths this plan does not have, ignored: retired-path"))
            let drawing = try Graphviz.svg(result.stdout, in: dir)
            for (id, colour) in Self.expectedColours {
                #expect(drawing.edges[id]?.stroke == colour, "\(id)")
            }
            let request = try #require(server.received.first)
            #expect(request.hasPrefix("GET /status.json HTTP/1.1\r\n"))
            #expect(request.contains("\r\nHost: 127.0.0.1:\(server.port)\r\n"))
        }
    }

    @Test func aBadOrSilentEndpointIsExit2WithAReason() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write(Self.site, "site.yaml", in: dir)
        let cases: [([UInt8]?, String)] = [
            (CannedHTTPServer.response("404 Not Found", body: "no such page", contentType: "text/plain"), "HTTP 404 Not Found"),
            (CannedHTTPServer.response("200 OK", body: "<html>hello</html>", contentType: "text/html"),
             "not a `portmatrix check --format json` document: not JSON"),
            (Array("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n\r\n".utf8), "not an HTTP answer"),
            (Array("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"paths\": [".utf8), "the connection closed before the answer was complete"),
            (nil, "no answer within 300ms"),
        ]
        for (answer, reason) in cases {
            let server = try CannedHTTPServer(answer: answer)
            defer { server.close() }
            // Only the silent case waits out its timeout; the others must not race a short one.
            let timeout = answer == nil ? "300ms" : "20s"
            let result = try CLIRunner.run(["plan", "--config", config, "--format", "dot", "--status", server.url, "--status-timeout", timeout])
            #expect(result.status == 2, "\(reason)")
            #expect(result.stderr.hasPrefix("portmatrix: status \(server.url): \(reason)"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        let nobody = try freePort()
        let refused = try CLIRunner.run(["plan", "--config", config, "--format", "dot", "--status", "http://127.0.0.1:\(nobody)/status.json"])
        #expect(refused.status == 2)
        #expect(refused.stderr == "portmatrix: status http://127.0.0.1:\(nobody)/status.json: cannot connect: connection refused\n")
    }
}

/// The real `dot`, and what it drew, read back from its SVG.
enum Graphviz {
    static let path = "/usr/bin/dot"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    struct Edge: Equatable {
        var stroke: String
        var dashed: Bool
        var width: String?
        var texts: [String]
    }

    struct Drawing {
        var svg: String
        /// By path id (the edges' `id` attribute is `path:<id>`).
        var edges: [String: Edge] = [:]
        /// By role id: the lines of the node's label.
        var nodes: [String: [String]] = [:]
        var clusters: [String] = []
    }

    /// Renders DOT text to SVG; Graphviz must accept it without a word on stderr.
    static func svg(_ dot: String, in dir: URL) throws -> Drawing {
        let input = try writeFile(dot, "picture-\(UUID().uuidString).dot", in: dir)
        let result = try CLIRunner.tool(path, ["-Tsvg", input.path])
        #expect(result.status == 0, "dot: \(result.stderr)")
        #expect(result.stderr.isEmpty, "dot: \(result.stderr)")
        var drawing = Drawing(svg: result.stdout)
        drawing.clusters = result.stdout.matches(of: /<g id="([^"]*)" class="cluster">/).map { decode(String($0.1)) }
        // Graphviz writes a comment before every node, edge and cluster: one chunk each.
        for chunk in result.stdout.components(separatedBy: "\n<!-- ").dropFirst() {
            guard let open = chunk.range(of: "<g id=\""), let quote = chunk[open.upperBound...].firstIndex(of: "\"") else { continue }
            let id = decode(String(chunk[open.upperBound..<quote]))
            let rest = chunk[quote...]
            if rest.hasPrefix("\" class=\"node\""), id.hasPrefix("role:") {
                drawing.nodes[String(id.dropFirst(5))] = texts(in: chunk)
            } else if rest.hasPrefix("\" class=\"edge\""), id.hasPrefix("path:") {
                let line = attributes(of: "<path ", in: chunk)
                drawing.edges[String(id.dropFirst(5))] = Edge(
                    stroke: line["stroke"] ?? "", dashed: line["stroke-dasharray"] != nil, width: line["stroke-width"],
                    texts: texts(in: chunk))
            }
        }
        return drawing
    }

    private static func texts(in chunk: String) -> [String] {
        chunk.matches(of: /<text [^>]*>([^<]*)<\/text>/).map { decode(String($0.1)) }
    }

    private static func attributes(of tag: String, in text: String) -> [String: String] {
        guard let start = text.range(of: tag), let end = text[start.upperBound...].firstIndex(of: ">") else { return [:] }
        var result: [String: String] = [:]
        let body = text[start.upperBound..<end]
        for match in body.matches(of: /([a-z-]+)="([^"]*)"/) {
            result[String(match.1)] = String(match.2)
        }
        return result
    }

    private static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "&#45;", with: "-").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}
