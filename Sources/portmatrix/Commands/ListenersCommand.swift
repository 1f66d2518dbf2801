import ArgumentParser
import PortMatrixEngine
import PortMatrixModel
import PortMatrixReport

struct ListenersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listeners",
        abstract: "Compare this machine's listening sockets with the matrix: missing, loopback-only and unexpected ones.")

    @OptionGroup var config: ConfigOption

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @Flag(help: "Also list loopback-only listeners, which the network cannot reach.")
    var all = false

    func validate() throws { try Output.require(format, in: [.table, .json]) }

    func run() throws {
        let (configuration, profile) = try config.load()
        let plan = Planner(profile: profile, configuration: configuration).plan()
        let scan = LocalListeners.scan(plan: plan)
        guard let report = scan.report else {
            Output.error("portmatrix listeners: cannot read /proc/net socket tables")
            throw ExitCode(3)
        }
        print(try ListenersRenderer.render(report, format: format, showIgnored: all, colour: StatusColour.enabled), terminator: "")
    }
}
