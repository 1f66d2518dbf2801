import PortMatrixEngine
import PortMatrixModel
import PortMatrixNRPE
import PortMatrixReport

/// The NRPE built-ins, answered from the engine's latest snapshot (never probing inline),
/// with the same renderer `portmatrix check` prints with.
struct EngineNRPECommands: NRPEBuiltinCommands {
    let store: ResultStore
    /// Extra components for `check_agent` (the SNMP link), read at request time.
    let links: @Sendable () -> [(name: String, status: Status, message: String)]

    func run(command: String, arguments: [String]) async -> NRPEResult? {
        let output: PluginOutput
        switch command {
        case "check_portmatrix":
            output = NagiosRenderer.compliance(store.snapshot)
        case "check_path":
            guard let id = arguments.first, !id.isEmpty else {
                return NRPEResult(state: .unknown, output: "PORTMATRIX UNKNOWN - check_path needs a path id: check_nrpe -c check_path -a <path-id>")
            }
            output = NagiosRenderer.path(store.snapshot, id: id)
        case "check_listeners":
            output = NagiosRenderer.listeners(store.snapshot)
        case "check_agent":
            output = NagiosRenderer.agent(store.snapshot, links: links())
        default:
            return nil
        }
        return NRPEResult(state: NRPEState(exitCode: output.exitCode), output: output.text)
    }
}

extension NRPEServerConfiguration {
    /// The `nrpe:` section of portmatrix.yaml.
    init(_ settings: NRPESettings) {
        self.init()
        listen = settings.listen
        allowedHosts = settings.allowedHosts
        tlsMode = settings.tls ? .on : .off
        certFile = settings.certFile
        keyFile = settings.keyFile
        caFile = settings.caFile
        clientCertificates = ClientCertificates(rawValue: settings.clientCerts.rawValue) ?? .none
        allowedClients = settings.allowedClients
        stateDirectory = settings.stateDirectory
        commands = settings.commands
        allowArguments = settings.allowArguments
        includeFile = settings.include
        commandTimeout = max(1, Int(settings.commandTimeout.seconds.rounded()))
        connectionTimeout = max(1, Int(settings.connectionTimeout.seconds.rounded()))
        maxConnections = settings.maxConnections
    }
}
