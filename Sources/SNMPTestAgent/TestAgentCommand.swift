import Foundation
import Logging
import PortMatrixSNMP

enum TestAgentCommand {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 else {
            FileHandle.standardError.write(Data("usage: SNMPTestAgent CONFIGURATION.json SNAPSHOT.json\n".utf8))
            exit(2)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .debug
            return handler
        }
        let logger = Logger(label: "SNMPTestAgent")
        do {
            let configuration = try decode(SNMPAgentConfiguration.self, from: arguments[1])
            let agent = SNMPAgent(configuration: configuration, logger: logger)
            agent.publish(try decode(MIBSnapshot.self, from: arguments[2]))
            try agent.start()
            say("ready")
            while let line = readLine() {
                let words = line.split(separator: " ", maxSplits: 1).map(String.init)
                switch words.first {
                case "publish" where words.count == 2:
                    agent.publish(try decode(MIBSnapshot.self, from: words[1]))
                    say("published")
                case "health":
                    let data = try JSONEncoder().encode(agent.health)
                    say(String(decoding: data, as: UTF8.self))
                case "quit":
                    agent.stop()
                    say("stopped")
                    exit(0)
                default:
                    say("unknown command: \(line)")
                }
            }
            agent.stop()
        } catch {
            logger.error("\(error)")
            say("failed: \(error)")
            exit(1)
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
