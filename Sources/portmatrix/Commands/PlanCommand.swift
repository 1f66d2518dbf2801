import ArgumentParser
import PortMatrixModel
import PortMatrixReport

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Show what runs here: each path, whether it applies, and its concrete checks.")

    @OptionGroup var config: ConfigOption

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    func validate() throws { try Output.require(format, in: [.table, .json]) }

    func run() throws {
        let (configuration, profile) = try config.load()
        let plan = Planner(profile: profile, configuration: configuration).plan()
        print(try MatrixRenderer.plan(plan, format: format, colour: StatusColour.enabled))
    }
}
