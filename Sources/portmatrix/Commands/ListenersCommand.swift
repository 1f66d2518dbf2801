import ArgumentParser

struct ListenersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "listeners", abstract: "Not available yet.")

    func run() async throws {
        Output.error("portmatrix listeners: not available in this build yet")
        throw ExitCode(3)
    }
}
