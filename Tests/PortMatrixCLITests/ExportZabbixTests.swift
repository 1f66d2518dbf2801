import Foundation
import PortMatrixModel
import PortMatrixTestSupport
import Testing

/// `portmatrix export zabbix`: the document is YAML in Zabbix 6.0's export format, its UUIDs
/// are valid UUIDv4 layouts and the same in every export, its macros follow the configuration's
/// status endpoint, and every way to call it wrongly says what to do. ZabbixServerTests imports
/// it into a real Zabbix.
struct ExportZabbixTests {
    static func config(_ statusEndpoint: String?, interval: String = "150s") -> String {
        """
        roles: [appliance]
        choices: { ntp: internal }
        hosts: { vendor-servers: [127.0.0.1] }
        schedule: { interval: \(interval) }
        nrpe: { listen: ["127.0.0.1:15666"], tls: { mode: off } }
        snmp: { mode: off }
        """ + (statusEndpoint.map { "\nstatus_endpoint: \($0)\n" } ?? "\n")
    }

    static func export(_ yaml: String, _ arguments: [String]) throws -> CLIRunner.Result {
        let (dir, file) = try ExportCommandTests.config(yaml)
        defer { try? FileManager.default.removeItem(at: dir) }
        return try CLIRunner.run(["export", "zabbix", "--config", file] + arguments)
    }

    /// The YAML as plain values: [String: Any], [Any] and String.
    static func parse(_ text: String) throws -> [String: Any] {
        let reader = YAMLReader(file: "export")
        let root = try #require(reader.root(of: text), "not YAML: \(reader.errors)")
        func tree(_ value: YAMLValue) throws -> Any {
            if let pairs = try? value.mapping() {
                return Dictionary(try pairs.map { ($0.key, try tree($0.value)) }, uniquingKeysWith: { first, _ in first })
            }
            if let list = try? value.list() { return try list.map(tree) }
            return try value.string()
        }
        return try #require(try tree(root) as? [String: Any])
    }

    static func list(_ value: Any?) -> [[String: Any]] { value as? [[String: Any]] ?? [] }

    /// Every `uuid` value anywhere in the document.
    static func uuids(_ value: Any) -> [String] {
        if let map = value as? [String: Any] {
            let own = (map["uuid"] as? String).map { [$0] } ?? []
            return own + map.filter { $0.key != "uuid" }.values.flatMap(uuids)
        }
        if let list = value as? [Any] { return list.flatMap(uuids) }
        return []
    }

    @Test func templateAndHostInZabbix60Format() throws {
        let result = try Self.export(Self.config("{ listen: [\"127.0.0.1:19166\"] }"), ["--host-name", "gw1.example internal"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdout.contains("\n  version: '6.0'\n"), "a plain 6.0 would be read as a number")
        let root = try Self.parse(result.stdout)
        let export = try #require(root["zabbix_export"] as? [String: Any])
        #expect(export["version"] as? String == "6.0")
        let template = try #require(Self.list(export["templates"]).first)
        #expect(template["template"] as? String == "portmatrix by HTTP")

        // The master item reads /status.json at the macros; the rest depend on it.
        let items = Self.list(template["items"])
        let master = try #require(items.first { $0["key"] as? String == "portmatrix.status" })
        #expect(master["type"] as? String == "HTTP_AGENT")
        #expect(master["url"] as? String == "http://{$PORTMATRIX.ADDRESS}:{$PORTMATRIX.PORT}/status.json")
        #expect(master["delay"] as? String == "{$PORTMATRIX.INTERVAL}")
        for item in items where item["key"] as? String != "portmatrix.status" {
            #expect(item["type"] as? String == "DEPENDENT")
            #expect((item["master_item"] as? [String: Any])?["key"] as? String == "portmatrix.status")
        }
        let triggers = items.flatMap { Self.list($0["triggers"]) }.compactMap { $0["expression"] as? String }
        #expect(triggers.contains("nodata(/portmatrix by HTTP/portmatrix.status,{$PORTMATRIX.NODATA})=1"))
        #expect(triggers.contains("nodata(/portmatrix by HTTP/portmatrix.cycles,{$PORTMATRIX.NODATA})=1"))

        // Macros default from the configuration: listen address and port, 150 s cycle, three cycles.
        let macros = Dictionary(uniqueKeysWithValues: Self.list(template["macros"]).compactMap { macro in
            (macro["macro"] as? String).map { ($0, macro["value"] as? String ?? "") }
        })
        #expect(macros["{$PORTMATRIX.ADDRESS}"] == "127.0.0.1")
        #expect(macros["{$PORTMATRIX.PORT}"] == "19166")
        #expect(macros["{$PORTMATRIX.INTERVAL}"] == "150s")
        #expect(macros["{$PORTMATRIX.NODATA}"] == "450s")

        // A dependent discovery rule with status, message and latency prototypes per {#PATH}.
        let rule = try #require(Self.list(template["discovery_rules"]).first)
        #expect(rule["type"] as? String == "DEPENDENT")
        #expect((rule["master_item"] as? [String: Any])?["key"] as? String == "portmatrix.status")
        let prototypes = Self.list(rule["item_prototypes"])
        #expect(Set(prototypes.compactMap { $0["key"] as? String }) == [
            "portmatrix.path.status[{#PATH}]", "portmatrix.path.message[{#PATH}]", "portmatrix.path.latency[{#PATH}]"])
        let prototypeTriggers = prototypes.flatMap { Self.list($0["trigger_prototypes"]) }
        #expect(Set(prototypeTriggers.compactMap { $0["priority"] as? String }) == ["HIGH", "WARNING"])
        #expect(prototypeTriggers.allSatisfy { ($0["expression"] as? String)?.contains("portmatrix.path.status[{#PATH}]") == true })

        // The host: the template linked, address and port as its macros.
        let host = try #require(Self.list(export["hosts"]).first)
        #expect(host["host"] as? String == "gw1.example internal")
        #expect(Self.list(host["templates"]).first?["name"] as? String == "portmatrix by HTTP")
        #expect(Self.list(host["groups"]).first?["name"] as? String == "Mail gateways")
        #expect(Self.list(export["groups"]).compactMap { $0["name"] as? String } == ["Templates/Applications", "Mail gateways"])
    }

    /// Zabbix refuses anything but a UUIDv4 layout; equal names must give equal UUIDs so a second
    /// import updates, and different names different ones.
    @Test func uuidsAreV4DistinctAndTheSameInEveryExport() throws {
        let first = try Self.export(Self.config("{ listen: [\"127.0.0.1:19166\"] }"), ["--host-name", "gw1"])
        let second = try Self.export(Self.config("{ listen: [\"127.0.0.1:29166\"] }", interval: "30s"), ["--host-name", "gw2"])
        #expect(first.status == 0 && second.status == 0)
        let ids = Self.uuids(try Self.parse(first.stdout)), otherIDs = Self.uuids(try Self.parse(second.stdout))
        #expect(ids.count >= 15)
        #expect(Set(ids).count == ids.count, "duplicate UUIDs: \(ids)")
        for id in ids {
            let bytes = stride(from: 0, to: id.count, by: 2).compactMap {
                UInt8(id.dropFirst($0).prefix(2), radix: 16)
            }
            #expect(id.count == 32 && bytes.count == 16 && id == id.lowercased(), "\(id)")
            #expect(bytes.count == 16 && bytes[6] >> 4 == 4 && bytes[8] >> 6 == 2, "not a UUIDv4 layout: \(id)")
        }
        // Another gateway, other macros and another host group: the template's objects keep their UUIDs.
        #expect(ids.filter { !otherIDs.contains($0) }.count == 0, "\(ids) vs \(otherIDs)")
        // The same configuration gives the same document (the header names the configuration's file).
        func body(_ text: String) -> String { text.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n") }
        let again = try Self.export(Self.config("{ listen: [\"127.0.0.1:19166\"] }"), ["--host-name", "gw1"])
        #expect(body(again.stdout) == body(first.stdout))
    }

    @Test func withoutHostNameOnlyTheTemplate() throws {
        let result = try Self.export(Self.config("{ listen: [\"[::1]:9166\"] }"), [])
        #expect(result.status == 0, "\(result.stderr)")
        let export = try #require(try Self.parse(result.stdout)["zabbix_export"] as? [String: Any])
        #expect(export["hosts"] == nil)
        #expect(Self.list(export["groups"]).count == 1)
        let macros = Self.list(Self.list(export["templates"]).first?["macros"])
        #expect(macros.contains { $0["macro"] as? String == "{$PORTMATRIX.ADDRESS}" && $0["value"] as? String == "[::1]" })
        #expect(result.stdout.contains("# Zabbix reads http://[::1]:9166/status.json every 150s."))
    }

    @Test func addressOverridesTheListenAddressAndNotesWhatTheEndpointAllows() throws {
        let wildcard = Self.config("{ listen: [\"0.0.0.0:9166\"], allowed_hosts: [192.0.2.10] }")
        let missing = try Self.export(wildcard, ["--host-name", "gw1"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("status_endpoint.listen has wildcard addresses only: give --address"), "\(missing.stderr)")
        let given = try Self.export(wildcard, ["--host-name", "gw1", "--address", "2001:db8::5"])
        #expect(given.status == 0, "\(given.stderr)")
        #expect(given.stderr.isEmpty)
        #expect(given.stdout.contains("value: '[2001:db8::5]'"))
        // A name is sent as Host:, which the endpoint answers only when server_names lists it.
        let named = try Self.export(wildcard, ["--address", "gw1.example.internal"])
        #expect(named.status == 0)
        #expect(named.stderr.contains("status_endpoint.server_names"), "\(named.stderr)")
        // A loopback-only endpoint does not answer a Zabbix server elsewhere.
        let remote = try Self.export(Self.config("{ listen: [\"127.0.0.1:9166\"] }"), ["--address", "192.0.2.5"])
        #expect(remote.status == 0)
        #expect(remote.stderr.contains("answers loopback peers only; add the Zabbix server's address"), "\(remote.stderr)")
    }

    @Test func withoutAStatusEndpointItSaysHowToEnableIt() throws {
        let result = try Self.export(Self.config(nil), ["--host-name", "gw1"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("the status endpoint is off"), "\(result.stderr)")
        #expect(result.stderr.contains(#"status_endpoint: { listen: ["127.0.0.1:9166"] }"#))
        #expect(result.stderr.contains("allowed_hosts: [ZABBIX-SERVER]"))
    }

    @Test(arguments: [
        (["--host-name", "gw/1"], "--host-name: 'gw/1' contains '/'"),
        (["--host-name", ""], "--host-name: must not be empty"),
        (["--host-name", " gw1"], "begins or ends with a space"),
        (["--address", "10.0.0.5:9166"], "--address: '10.0.0.5:9166' has a port; the port comes from status_endpoint.listen"),
        (["--address", "not an address"], "--address: 'not an address' is not a host name or IP address"),
        (["--host-group", ""], "--host-group: '' is not a host group name"),
    ])
    func badArgumentsAreUsageErrors(_ arguments: [String], _ message: String) throws {
        let result = try Self.export(Self.config("{ listen: [\"127.0.0.1:9166\"] }"), arguments)
        #expect(result.status == 64, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
