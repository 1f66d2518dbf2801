import ArgumentParser
import Foundation
import PortMatrixModel
import PortMatrixReport

/// `--config F`: without it, /etc/portmatrix/portmatrix.yaml if present, else the embedded default.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file (default: \(ConfigurationLoader.systemPath) if present, else the embedded default).", valueName: "file"))
    var config: String?

    /// The model's part of the configuration and its profile (every section is read and
    /// checked); on error, the errors on stderr and exit status 2.
    func load() throws -> (SiteConfiguration, Profile) {
        let configuration = try loadAll()
        return (configuration.site, configuration.profile)
    }

    /// The whole configuration, each component's settings too.
    func loadAll() throws -> AgentConfiguration {
        do {
            return try AgentConfiguration.resolve(path: config)
        } catch {
            Output.error(Output.describe(error))
            throw ExitCode(2)
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}

enum Output {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// `describe` on one line, for a log entry.
    static func oneLine(_ error: Error) -> String {
        describe(error).replacingOccurrences(of: "\n", with: "; ")
    }

    static func describe(_ error: Error) -> String {
        if let errors = error as? ConfigurationErrors { return errors.description }
        if let error = error as? ConfigurationError { return error.description }
        return "\(error)"
    }

    /// Rejects a format the command does not offer, as ArgumentParser would for an enum.
    static func require(_ format: OutputFormat, in allowed: [OutputFormat]) throws {
        guard allowed.contains(format) else {
            throw ValidationError("--format must be one of \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
    }
}
