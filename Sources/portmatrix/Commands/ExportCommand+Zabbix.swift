import ArgumentParser
import PortMatrixListening
import PortMatrixModel
import PortMatrixReport

extension ExportCommand {
    /// Zabbix reads the status endpoint (HTTP agent item), not NRPE: the export needs
    /// `status_endpoint.listen`, and its address and port become the template's macros.
    struct Zabbix: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A Zabbix 6.0 template (YAML) reading the status endpoint, and with --host-name the host linked to it.",
            discussion: """
                Import the output with configuration.import (format yaml) or Configuration > Templates > Import. \
                Zabbix polls http://ADDRESS:PORT/status.json; without status_endpoint.allowed_hosts the endpoint \
                answers loopback peers only.
                """)

        @OptionGroup var config: ConfigOption

        @Option(name: .customLong("host-name"),
                help: ArgumentHelp("Also create or update this Zabbix host, with the template linked and the address and port as host macros.",
                                   valueName: "name"))
        var hostName: String?

        @Option(help: ArgumentHelp("Address Zabbix reaches the status endpoint at (default: the first status_endpoint.listen address that is not a wildcard).",
                                   valueName: "address"))
        var address: String?

        @Option(name: .customLong("host-group"), help: ArgumentHelp("Host group of --host-name.", valueName: "name"))
        var hostGroup = ZabbixTemplateRenderer.defaultHostGroup

        func validate() throws {
            if let hostName, let problem = ZabbixExport.problem(withHostName: hostName) { throw ValidationError("--host-name: \(problem)") }
            if hostGroup.isEmpty || hostGroup.hasPrefix("/") || hostGroup.hasSuffix("/")
                || hostGroup.contains(where: { $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) {
                throw ValidationError("--host-group: '\(hostGroup)' is not a host group name")
            }
            if let address { _ = try Self.host(address) }
        }

        func run() throws {
            let loaded = try config.loadAll()
            let configuration = loaded.site
            let endpoint = loaded.statusEndpoint
            // The NRPE rule for which listen address a client can reach applies here as well.
            guard let listen = MonitoringExport.Connection(listen: endpoint.listen, tls: false) else {
                Output.error("""
                    \(configuration.origin): the status endpoint is off, and Zabbix reads the agent's /status.json from it. \
                    Enable it with status_endpoint: { listen: ["127.0.0.1:9166"] } (a Zabbix server on this machine); \
                    for a Zabbix server elsewhere, listen on an address it reaches and add its address: \
                    status_endpoint: { listen: ["ADDRESS:9166"], allowed_hosts: [ZABBIX-SERVER] }
                    """)
                throw ExitCode(2)
            }
            guard let host = try address.map(Self.host) ?? listen.address else {
                Output.error("\(configuration.origin): status_endpoint.listen has wildcard addresses only: give --address, the address Zabbix reaches the agent at")
                throw ExitCode(2)
            }
            if endpoint.allowedHosts.isEmpty, !Self.isLoopback(host) {
                Output.error("note: without status_endpoint.allowed_hosts the endpoint answers loopback peers only; add the Zabbix server's address there")
            } else if NetworkPrefix.parseAddress(host) == nil, host != "localhost", !endpoint.serverNames.contains(host.lowercased()) {
                Output.error("note: Zabbix sends Host: \(host); the endpoint answers that name only when status_endpoint.server_names lists it")
            }
            let plan = Planner(profile: loaded.profile, configuration: configuration).plan()
            let export = ZabbixExport(address: host, port: listen.port, interval: configuration.schedule.interval,
                                      hostName: hostName, hostGroup: hostGroup)
            print(try ZabbixTemplateRenderer.render(plan, export: export), terminator: "")
        }

        /// `10.0.0.5`, `gw1.example.internal`, `::1` or `[::1]`: the port is the endpoint's own.
        static func host(_ text: String) throws -> String {
            guard case .success(let target) = TargetAddress.parse(text) else {
                throw ValidationError("--address: '\(text)' is not a host name or IP address")
            }
            guard target.port == nil else { throw ValidationError("--address: '\(text)' has a port; the port comes from status_endpoint.listen") }
            return target.host
        }

        static func isLoopback(_ host: String) -> Bool {
            guard let bytes = NetworkPrefix.parseAddress(host) else { return host == "localhost" }
            return AllowedHost.isLoopback(bytes)
        }
    }
}
