import ArgumentParser
import Foundation
import PortMatrixModel
import PortMatrixReport

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print monitoring server objects that check this agent (over NRPE; Zabbix over the status endpoint).",
        discussion: "Nagios and Icinga 2: one service for check_portmatrix, check_listeners and check_agent each, and one check_path service per path that applies to the configuration. Zabbix: a template that reads /status.json and discovers the paths.",
        subcommands: [Nagios.self, Icinga2.self, Zabbix.self])

    struct Nagios: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Nagios object definitions: the check_nrpe command, the services, optionally the host.")

        @OptionGroup var config: ConfigOption
        @OptionGroup var target: ExportOptions

        @Option(name: .customLong("check-nrpe"), help: ArgumentHelp("check_nrpe on the monitoring server.", valueName: "path"))
        var checkNRPE = NagiosObjectsRenderer.defaultCheckNRPE

        @Flag(name: .customLong("no-command"),
              help: "Leave out the \(NagiosObjectsRenderer.commandName) command (it is the same in every export; define it once per Nagios).")
        var noCommand = false

        @Option(name: .customLong("contact-groups"), help: ArgumentHelp("Contact groups to notify, comma-separated (e.g. admins).", valueName: "groups"))
        var contactGroups: String?

        var groups: [String] {
            contactGroups.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        }

        func validate() throws {
            guard checkNRPE.hasPrefix("/") else { throw ValidationError("--check-nrpe must be an absolute path, not '\(checkNRPE)'") }
            for group in groups {
                if let problem = MonitoringExport.problem(withObjectName: group) { throw ValidationError("--contact-groups: \(problem)") }
            }
        }

        func run() throws {
            let (plan, export) = try target.resolve(config)
            print(NagiosObjectsRenderer.render(plan, export: export, checkNRPE: checkNRPE, defineCommand: !noCommand, contactGroups: groups),
                  terminator: "")
        }
    }

    struct Icinga2: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Icinga 2 objects: Services using the ITL's nrpe CheckCommand, optionally the Host.")

        @OptionGroup var config: ConfigOption
        @OptionGroup var target: ExportOptions

        func run() throws {
            let (plan, export) = try target.resolve(config)
            print(Icinga2ObjectsRenderer.render(plan, export: export), terminator: "")
        }
    }
}

/// Who the monitored host is and how check_nrpe reaches it; the defaults follow the
/// configuration's `nrpe` section.
struct ExportOptions: ParsableArguments {
    @Option(name: .customLong("host-name"), help: ArgumentHelp("The host's name on the monitoring server (default: this machine's host name).", valueName: "name"))
    var hostName: String?

    @Option(help: ArgumentHelp("Address check_nrpe connects to (default: the first nrpe.listen address that is not a wildcard, else the host's address).", valueName: "address"))
    var address: String?

    @Option(name: .customLong("nrpe-port"), help: ArgumentHelp("NRPE port (default: from nrpe.listen).", valueName: "port"))
    var nrpePort: Int?

    @Flag(inversion: .prefixedNo, help: "check_nrpe with TLS, or with -n (default: nrpe.tls.mode).")
    var tls: Bool?

    @Flag(name: .customLong("with-host"), help: "Also define the host (usually the monitoring server already has it).")
    var withHost = false

    @Option(name: .customLong("host-template"), help: ArgumentHelp("Host template to inherit from, e.g. generic-host (with --with-host).", valueName: "name"))
    var hostTemplate: String?

    @Option(name: .customLong("service-template"), help: ArgumentHelp("Service template to inherit from, e.g. generic-service; without one the services carry every required setting.", valueName: "name"))
    var serviceTemplate: String?

    @Option(name: .customLong("client-cert"), help: ArgumentHelp("Client certificate for check_nrpe (nrpe.tls.client_certs ask/require).", valueName: "file"))
    var clientCert: String?

    @Option(name: .customLong("client-key"), help: ArgumentHelp("Key of --client-cert.", valueName: "file"))
    var clientKey: String?

    @Option(name: .customLong("ca-cert"), help: ArgumentHelp("CA file check_nrpe verifies the agent's certificate with.", valueName: "file"))
    var caCert: String?

    func validate() throws {
        for (option, name) in [("--host-name", hostName), ("--host-template", hostTemplate), ("--service-template", serviceTemplate)] {
            if let name, let problem = MonitoringExport.problem(withObjectName: name) { throw ValidationError("\(option): \(problem)") }
        }
        if let address { _ = try Self.host(address) }
        if let nrpePort, !(1...65535).contains(nrpePort) { throw ValidationError("--nrpe-port must be 1-65535, not \(nrpePort)") }
        if (clientCert == nil) != (clientKey == nil) { throw ValidationError("--client-cert and --client-key go together") }
        if hostTemplate != nil && !withHost { throw ValidationError("--host-template needs --with-host") }
        if tls == false && (clientCert != nil || caCert != nil) { throw ValidationError("--client-cert and --ca-cert need TLS, not --no-tls") }
    }

    /// The plan of the configuration and the export settings; exit 2 when the configuration is
    /// bad or serves no NRPE.
    func resolve(_ config: ConfigOption) throws -> (Plan, MonitoringExport) {
        let loaded = try config.loadAll()
        let (configuration, profile) = (loaded.site, loaded.profile)
        let plan = Planner(profile: profile, configuration: configuration).plan()
        guard var connection = MonitoringExport.Connection(listen: loaded.nrpe.listen, tls: loaded.nrpe.tlsMode == .on) else {
            Output.error("\(configuration.origin): nrpe.listen is empty, so the agent serves no NRPE: nothing to export")
            throw ExitCode(2)
        }
        if let address { connection.address = try Self.host(address) }
        if let nrpePort { connection.port = nrpePort }
        if let tls { connection.tls = tls }
        connection.clientCertificate = clientCert
        connection.clientKey = clientKey
        connection.caFile = caCert
        if connection.tls, loaded.nrpe.clientCertificates == .require, clientCert == nil {
            Output.error("note: \(configuration.origin) has nrpe.tls.client_certs: require; check_nrpe needs --client-cert and --client-key")
        }
        let export = MonitoringExport(hostName: hostName ?? Self.localHostName(), connection: connection, defineHost: withHost,
                                      hostTemplate: hostTemplate, serviceTemplate: serviceTemplate,
                                      checkInterval: configuration.schedule.interval)
        if let problem = MonitoringExport.problem(withObjectName: export.hostName) {
            throw ValidationError("this machine's host name is not usable (\(problem)): give --host-name")
        }
        return (plan, export)
    }

    /// `10.0.0.5`, `gw1.example.internal`, `::1` or `[::1]`; a port belongs in --nrpe-port.
    static func host(_ text: String) throws -> String {
        guard case .success(let target) = TargetAddress.parse(text) else {
            throw ValidationError("--address: '\(text)' is not a host name or IP address")
        }
        guard target.port == nil else { throw ValidationError("--address: '\(text)' has a port; give it with --nrpe-port") }
        return target.host
    }

    static func localHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
