import Foundation
import Testing

struct MatrixCommandTests {
    @Test func jsonHoldsAll33PathsWithTheContractFields() throws {
        let result = try CLIRunner.run(["matrix", "--format", "json"])
        #expect(result.status == 0)
        let paths = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(paths.count == (try CLIRunner.profilePathCount()))
        for path in paths {
            for key in ["id", "function", "source", "target", "endpoints", "rule", "applies", "description"] {
                #expect(path[key] != nil, "\(path["id"] ?? "?") lacks \(key)")
            }
            let endpoints = try #require(path["endpoints"] as? [[String: Any]])
            #expect(!endpoints.isEmpty)
            for endpoint in endpoints {
                #expect(["tcp", "udp"].contains(endpoint["transport"] as? String))
                #expect((endpoint["port"] as? Int).map { (1...65535).contains($0) } == true)
            }
            #expect(["all", "any"].contains(path["rule"] as? String))
        }
        let dns = try #require(paths.first { $0["id"] as? String == "dns-internal" })
        #expect(dns["applies"] as? String == "choice:dns=internal")
        let cluster = try #require(paths.first { $0["id"] as? String == "cluster-ssh" })
        #expect(cluster["applies"] as? String == "feature:cluster")
    }

    @Test func yamlAndTableFormats() throws {
        let yaml = try CLIRunner.run(["matrix", "--format", "yaml"])
        #expect(yaml.status == 0)
        #expect(yaml.stdout.contains("- id: licence-ssh"))
        let table = try CLIRunner.run(["matrix"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("(\(try CLIRunner.profilePathCount()) paths)"))
        #expect(table.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 }, "tables fit 100 columns")
        #expect(!table.stdout.contains("\u{1B}["), "no colour when not on a terminal")
    }

    @Test func anotherProfileFileLoads() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("lab.yaml")
        try """
        name: lab
        roles: [{ id: gw, description: gateway }, { id: mx, description: mail }]
        paths:
          - { id: lab-smtp, function: Mail, endpoints: [{ port: tcp/2525, probe: smtp }], source: gw, target: mx, applies: required }
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["matrix", "--profile", file.path, "--format", "json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"lab-smtp\""))
        try "name: lab\nroles: []\npaths: []\n".write(to: file, atomically: true, encoding: .utf8)
        let broken = try CLIRunner.run(["matrix", "--profile", file.path])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("a profile needs at least one path"))
    }

    @Test func planTableAndJSON() throws {
        let example = CLIRunner.repository.appendingPathComponent("docs/examples/cluster-frontend-gina.yaml").path
        let table = try CLIRunner.run(["plan", "--config", example])
        #expect(table.status == 0)
        #expect(table.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })
        #expect(table.stdout.contains("frontend-backend-ssh"))
        let json = try CLIRunner.run(["plan", "--config", example, "--format", "json"])
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let paths = try #require(plan["paths"] as? [[String: Any]])
        let ssh = try #require(paths.first { $0["id"] as? String == "frontend-backend-ssh" })
        #expect(ssh["applicable"] as? Bool == true)
        let checks = try #require(ssh["checks"] as? [[String: Any]])
        #expect(checks.first?["target"] as? String == "seppmail-backend.example.internal:22")
    }

    @Test func everyCommandHasHelp() throws {
        for command in [["matrix"], ["plan"], ["check"], ["listeners"], ["agent"], ["config", "validate"]] {
            let result = try CLIRunner.run(command + ["--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("USAGE"), "\(command)")
        }
    }
}
