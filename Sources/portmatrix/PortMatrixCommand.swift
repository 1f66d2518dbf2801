import ArgumentParser

struct PortMatrixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portmatrix",
        abstract: "Checks the network paths a secure e-mail gateway needs, and reports them to Nagios, SNMP and people.",
        version: PortMatrixVersion.string,
        subcommands: [MatrixCommand.self, PlanCommand.self, CheckCommand.self, ListenersCommand.self,
                      AgentCommand.self, ConfigCommand.self, ExportCommand.self, ReportCommand.self,
                      TraceCommand.self])
}

enum PortMatrixVersion {
    static let string = "0.1.0"
}
