import NIOPosix

/// Decides what a query gets: `_NRPE_CHECK`, a built-in, an external command, "not defined",
/// or a refusal (nrpe closes those connections without a reply; the server logs why).
struct NRPECommandDispatcher: Sendable {
    enum Outcome: Sendable, Hashable {
        case reply(NRPEResult)
        case refuse(reason: String)
    }

    /// nrpe's default nasty_metachars plus CR and LF, as bytes: /bin/sh reads bytes, and a
    /// Character comparison misses a metacharacter glued to a prepend or combining character
    /// (U+0600 before `$` is one Character), and "\r\n" is one Character equal to neither.
    static let nastyMetacharacters: Set<UInt8> = Set("|`&><'\\[]{};\r\n".utf8)
    /// `$(`: nrpe's allow_bash_command_substitution=0 (its default, not configurable here).
    static let commandSubstitution: [UInt8] = Array("$(".utf8)

    var builtins: any NRPEBuiltinCommands
    var externalCommands: [String: String]
    var allowArguments: Bool
    var commandTimeoutSeconds: Int
    var runner = NRPEProcessRunner()
    /// Where external commands block while they run.
    var threadPool: NIOThreadPool

    func respond(to request: NRPERequest, outputLimit: Int) async -> Outcome {
        if request.command == NRPERequest.versionCheck {
            return .reply(NRPEResult(state: .ok, output: NRPERequest.versionString))
        }
        if let result = await builtins.run(command: request.command, arguments: request.arguments) {
            return .reply(result)
        }
        guard let template = externalCommands[request.command] else {
            return .reply(NRPEResult(state: .unknown, output: "NRPE: Command '\(request.command)' not defined"))
        }
        if !request.arguments.isEmpty, !allowArguments {
            return .refuse(reason: "arguments for '\(request.command)' refused: allow_arguments is off")
        }
        if !request.isValidUTF8 {
            return .refuse(reason: "request for '\(request.command)' is not valid UTF-8")
        }
        let bytes = Array(([request.command] + request.arguments).joined(separator: "!").utf8)
        if let bad = bytes.first(where: Self.nastyMetacharacters.contains) {
            return .refuse(reason: "request for '\(request.command)' contains the metacharacter \(Unicode.Scalar(bad).debugDescription)")
        }
        // The metacharacter list alone lets "$(reboot)" reach the shell.
        if bytes.firstRange(of: Self.commandSubstitution) != nil {
            return .refuse(reason: "request for '\(request.command)' contains a command substitution \"$(\"")
        }
        let commandLine = Self.substitute(arguments: request.arguments, into: template)
        let (runner, timeout) = (runner, commandTimeoutSeconds)
        do {
            return .reply(try await threadPool.runIfActive {
                runner.run(commandLine: commandLine, timeoutSeconds: timeout, outputLimit: outputLimit)
            })
        } catch {
            return .refuse(reason: "server shutting down, '\(request.command)' not run")
        }
    }

    /// `$ARG1$`…`$ARG16$`; missing arguments become empty, as in nrpe. One pass over the
    /// template, so an argument that itself reads `$ARG2$` is not substituted again.
    static func substitute(arguments: [String], into template: String) -> String {
        var line = ""
        var rest = template[...]
        while let start = rest.firstRange(of: "$ARG") {
            line += rest[..<start.lowerBound]
            let digits = rest[start.upperBound...].prefix(2).prefix { $0.isASCII && $0.isNumber }
            let close = rest.index(start.upperBound, offsetBy: digits.count)
            if let index = Int(digits), (1...16).contains(index), close < rest.endIndex, rest[close] == "$" {
                line += index <= arguments.count ? arguments[index - 1] : ""
                rest = rest[rest.index(after: close)...]
            } else {
                line += "$ARG"
                rest = rest[start.upperBound...]
            }
        }
        return line + rest
    }
}
