import ArgumentParser

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Not available yet.")

    func run() async throws {
        Output.error("portmatrix check: not available in this build yet")
        throw ExitCode(3)
    }
}
