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

    @Option(help: "Output format: nagios, json, table, dot (the plan for Graphviz, coloured by this cycle), checkmk (local-check lines), prtg (EXE/Script Advanced JSON) or firewall-request (failing checks as firewall change rows, CSV).")
    var format: OutputFormat = .nagios

    @Flag(help: "With --format firewall-request: a Markdown table instead of CSV.")
    var markdown = false

    @Flag(help: "Trace checks that are critical with connect_timeout, rejected or unreachable; the verdict shows as 'trace'.")
    var trace = false

    static let formats: [OutputFormat] = [.nagios, .json, .table, .dot, .checkmk, .prtg, .firewallRequest]

    func validate() throws {
        try Output.require(format, in: Self.formats)
        if markdown && format != .firewallRequest { throw ValidationError("--markdown goes with --format firewall-request") }
    }

    func run() async throws {
        let configuration: SiteConfiguration
        let profile: Profile
        var traceSettings = TraceSettings()
        do {
            let loaded = try AgentConfiguration.resolve(path: config.config)
            (configuration, profile) = (loaded.site, loaded.profile)
            traceSettings = loaded.trace
        } catch {
            // A plugin reports a broken set-up on stdout, where its monitoring system reads it.
            switch format {
            case .prtg:
                print(PRTGRenderer.error("portmatrix: configuration error: " + Output.oneLine(error)), terminator: "")
            case .checkmk:
                print(CheckmkLocalRenderer.sectionHeader + "\n3 \"portmatrix compliance\" - configuration error: " + Output.oneLine(error))
            default:
                print("PORTMATRIX UNKNOWN - configuration error\n" + Output.describe(error))
            }
            throw ExitCode(format == .prtg ? 0 : 3)
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
        var snapshot = await engine.runCycle(paths: only).snapshot
        // The firewall request traces its rows itself, per address; tracing here too would send
        // every trace twice for output that does not show it.
        if trace, format != .firewallRequest {
            snapshot = await EvidenceTracing.traced(snapshot, paths: only, settings: traceSettings, group: group)
        }
        var request: FirewallRequest?
        if format == .firewallRequest {
            // Dropped, rejected and unreachable checks are traced for the "where it died" column.
            request = await FirewallRequest.build(FirewallRequest.items(failingIn: snapshot, paths: only), settings: traceSettings, group: group)
        }
        try? await group.shutdownGracefully()

        let output = paths.count == 1 ? NagiosRenderer.path(snapshot, id: paths[0]) : NagiosRenderer.compliance(snapshot, paths: only)
        switch format {
        case .json: print(try JSON.encodeReport(CheckDocument(snapshot, paths: only)))
        case .table: print(CheckTableRenderer.render(snapshot, paths: only, colour: StatusColour.enabled))
        case .dot:
            let statuses = snapshot.paths.filter { only?.contains($0.id) ?? true }.map { ($0.id, $0.status) }
            print(DotRenderer.render(plan, statuses: Dictionary(statuses, uniquingKeysWith: { first, _ in first })), terminator: "")
        case .checkmk: print(CheckmkLocalRenderer.render(snapshot, paths: only), terminator: "")
        case .firewallRequest: print(request?.render(markdown: markdown) ?? "", terminator: "")
        case .prtg:
            // PRTG takes a non-zero exit as a failed sensor script: the states travel in the channels.
            print(PRTGRenderer.render(snapshot, paths: only), terminator: "")
            return
        default: print(output.text)
        }
        if output.exitCode != 0 { throw ExitCode(output.exitCode) }
    }
}
