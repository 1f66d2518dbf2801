import ArgumentParser

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent", abstract: "Not available yet.")

    func run() async throws {
        Output.error("portmatrix agent: not available in this build yet")
        throw ExitCode(3)
    }
}
