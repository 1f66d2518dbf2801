import ArgumentParser
import PortMatrixModel

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with configuration files.", subcommands: [Validate.self])

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a configuration file: exit 0, or 2 with FILE:LINE:COL: message lines.")

        @Argument(help: ArgumentHelp("The configuration file.", valueName: "file"))
        var file: String

        func run() throws {
            do {
                let loaded = try AgentConfiguration.load(file: file)
                let (configuration, profile) = (loaded.site, loaded.profile)
                let plan = Planner(profile: profile, configuration: configuration).plan()
                for finding in plan.findings {
                    print("\(file): note: \(finding.message)")
                }
                print("\(file): OK (profile \(profile.name), \(plan.paths.filter(\.applies).count) paths apply, \(plan.checks.count) checks)")
            } catch {
                print(Output.describe(error))
                throw ExitCode(2)
            }
        }
    }
}
