import ArgumentParser
import PortMatrixEngine
import PortMatrixModel
import PortMatrixReport

struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix", abstract: "Print the whole port matrix of a profile.")

    @Option(help: ArgumentHelp("Built-in profile name or profile file.", valueName: "profile"))
    var profile: String = "seppmail"

    @Option(help: "Output format: table, json or yaml.")
    var format: OutputFormat = .table

    func validate() throws { try Output.require(format, in: [.table, .json, .yaml]) }

    func run() throws {
        let loaded: Profile
        do { loaded = try Profile.load(profile, catalog: ProbeRegistry.standard) } catch {
            Output.error(Output.describe(error))
            throw ExitCode(2)
        }
        print(try MatrixRenderer.matrix(loaded, format: format, colour: StatusColour.enabled))
    }
}
