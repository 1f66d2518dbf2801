import ArgumentParser
import NIOPosix
import PortMatrixEngine
import PortMatrixModel
import PortMatrixReport

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Show what runs here: each path, whether it applies, and its concrete checks.",
        discussion: "--format dot draws the plan for Graphviz (portmatrix plan --format dot | dot -Tsvg > matrix.svg); "
            + "--status colours it by the paths' latest statuses.")

    @OptionGroup var config: ConfigOption

    @Option(help: "Output format: table, json, dot (Graphviz) or firewall-request (every probe as a firewall change row, CSV).")
    var format: OutputFormat = .table

    @Flag(help: "With --format firewall-request: a Markdown table instead of CSV.")
    var markdown = false

    @Option(name: .customLong("status"), help: ArgumentHelp(
        "Colour the dot picture by these statuses: a 'portmatrix check --format json' document, - for standard input, "
            + "or the agent's status endpoint (http://127.0.0.1:PORT/status.json).", valueName: "file|-|url"))
    var statusSource: String?

    @Option(name: .customLong("status-timeout"), help: ArgumentHelp("How long to wait for a --status URL (e.g. 5s, 500ms).", valueName: "duration"))
    var statusTimeout: String = "5s"

    @Flag(help: "Leave paths that do not apply here out of the dot picture.")
    var applicableOnly = false

    func validate() throws {
        try Output.require(format, in: [.table, .json, .dot, .firewallRequest])
        if markdown && format != .firewallRequest { throw ValidationError("--markdown goes with --format firewall-request") }
        if format != .dot && (statusSource != nil || applicableOnly) {
            throw ValidationError("--status and --applicable-only go with --format dot")
        }
        try StatusInput.validate(source: statusSource, timeout: statusTimeout)
    }

    func run() async throws {
        let (configuration, profile) = try config.load()
        let plan = Planner(profile: profile, configuration: configuration).plan()
        if format == .firewallRequest {
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let request = await FirewallRequest.build(FirewallRequest.items(plannedIn: plan), settings: TraceSettings(), group: group)
            try? await group.shutdownGracefully()
            print(request.render(markdown: markdown), terminator: "")
            return
        }
        guard format == .dot else {
            print(try MatrixRenderer.plan(plan, format: format, colour: StatusColour.enabled))
            return
        }
        var statuses: [String: Status]?
        if let statusSource, let input = StatusInput(statusSource) {
            let read: [String: Status]
            do {
                read = try await input.statuses(timeout: DurationParser.parse(statusTimeout) ?? .seconds(5))
            } catch {
                Output.error("portmatrix: \(error)")
                throw ExitCode(2)
            }
            statuses = read
            let strangers = read.keys.filter { plan.path($0) == nil }.sorted()
            if !strangers.isEmpty {
                Output.error("portmatrix: warning: status \(input.name) names paths this plan does not have, ignored: \(strangers.joined(separator: ", "))")
            }
        }
        print(DotRenderer.render(plan, statuses: statuses, options: DotRenderer.Options(applicableOnly: applicableOnly)), terminator: "")
    }
}
