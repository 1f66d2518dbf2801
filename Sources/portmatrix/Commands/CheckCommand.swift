import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PortMatrixEngine
import PortMatrixModel
import PortMatrixReport

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run one cycle of checks now; a Nagios plugin (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).")

    @OptionGroup var config: ConfigOption

    @Option(name: .customLong("path"), help: ArgumentHelp("Only this path (repeatable).", valueName: "id"))
    var paths: [String] = []

    @Option(help: "Output format: nagios, json, table or dot (the plan for Graphviz, coloured by this cycle).")
    var format: OutputFormat = .nagios

    func validate() throws { try Output.require(format, in: [.nagios, .json, .table, .dot]) }

    func run() async throws {
        let configuration: SiteConfiguration
        let profile: Profile
        do {
            (configuration, profile) = try ConfigurationLoader.resolve(path: config.config)
        } catch {
            // A plugin reports a broken set-up as UNKNOWN on stdout, where Nagios reads it.
            print("PORTMATRIX UNKNOWN - configuration error\n" + Output.describe(error))
            throw ExitCode(3)
        }
        let plan = Planner(profile: profile, configuration: configuration).plan()
        for id in paths where plan.path(id) == nil {
            let hint = suggestion(for: id, among: plan.paths.map(\.id)).map { "; did you mean '\($0)'?" } ?? ""
            print("PORTMATRIX UNKNOWN - no path '\(id)'\(hint)")
            throw ExitCode(3)
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let engine = Wiring.engine(plan: plan, group: group, logger: Logging.Logger(label: "portmatrix.check"))
        let only = paths.isEmpty ? nil : Set(paths)
        let snapshot = await engine.runCycle(paths: only).snapshot
        try? await group.shutdownGracefully()

        let output = paths.count == 1 ? NagiosRenderer.path(snapshot, id: paths[0]) : NagiosRenderer.compliance(snapshot, paths: only)
        switch format {
        case .json: print(try JSON.encodeReport(CheckDocument(snapshot, paths: only)))
        case .table: print(CheckTableRenderer.render(snapshot, paths: only, colour: StatusColour.enabled))
        case .dot:
            let statuses = snapshot.paths.filter { only?.contains($0.id) ?? true }.map { ($0.id, $0.status) }
            print(DotRenderer.render(plan, statuses: Dictionary(statuses, uniquingKeysWith: { first, _ in first })), terminator: "")
        default: print(output.text)
        }
        if output.exitCode != 0 { throw ExitCode(output.exitCode) }
    }
}
