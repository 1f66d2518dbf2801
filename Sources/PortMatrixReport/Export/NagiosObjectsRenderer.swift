import PortMatrixModel

/// Nagios (and Naemon) object definitions for `portmatrix export nagios`: one command for
/// check_nrpe, optionally the host, and a service per agent built-in and per applicable path.
public enum NagiosObjectsRenderer {
    public static let defaultCheckNRPE = "/usr/lib/nagios/plugins/check_nrpe"
    /// The same command for every exported gateway: the connection is in `$ARG1$`, so a second
    /// export into the same Nagios leaves it out (`--no-command`) instead of redefining it.
    public static let commandName = "check_portmatrix_nrpe"

    /// `contactGroups` are notified about the host and the services (Nagios warns about objects
    /// without contacts unless a template brings them).
    public static func render(_ plan: Plan, export: MonitoringExport, checkNRPE: String = defaultCheckNRPE,
                              defineCommand: Bool = true, contactGroups: [String] = []) -> String {
        let contacts: [(String, String)] = contactGroups.isEmpty ? [] : [("contact_groups", value(contactGroups.joined(separator: ",")))]
        let services = MonitoringExport.services(for: plan)
        var text = header(plan, export: export, services: services)
        if defineCommand {
            text += object("command", [
                ("command_name", commandName),
                ("command_line", value(shellWord(checkNRPE).replacingOccurrences(of: "$", with: "$$")) + " $ARG1$ -c $ARG2$ $ARG3$"),
            ])
        }
        if export.defineHost {
            var directives: [(String, String)] = [("host_name", value(export.hostName))]
            if let template = export.hostTemplate { directives.append(("use", value(template))) }
            directives += [("alias", value("\(export.hostName) (portmatrix)")), ("address", value(export.hostAddress))]
            if export.hostTemplate == nil {
                directives += [("max_check_attempts", "3"), ("check_period", "24x7"),
                               ("notification_interval", "60"), ("notification_period", "24x7")]
            }
            text += object("host", directives + contacts)
        }
        let connection = connectionArgument(export)
        for service in services {
            var directives: [(String, String)] = [("host_name", value(export.hostName)), ("service_description", value(service.name))]
            if let template = export.serviceTemplate { directives.append(("use", value(template))) }
            let arguments = service.arguments.isEmpty ? "" : "-a " + service.arguments.map(shellWord).joined(separator: " ")
            let command = [commandName, connection, argument(service.command)] + (arguments.isEmpty ? [] : [argument(arguments)])
            directives.append(("check_command", command.joined(separator: "!")))
            directives += [("check_interval", "\(checkIntervalMinutes(export.checkInterval))"), ("retry_interval", "1")]
            if export.serviceTemplate == nil {
                directives += [("max_check_attempts", "3"), ("check_period", "24x7"),
                               ("notification_interval", "60"), ("notification_period", "24x7")]
            }
            directives += contacts
            directives.append(("notes", value(service.notes)))
            text += object("service", directives)
        }
        return text
    }

    /// `-H $HOSTADDRESS$ -p 5666` plus `-n` and the client certificate: `$ARG1$`, escaped.
    static func connectionArgument(_ export: MonitoringExport) -> String {
        let connection = export.connection
        var words = ["-H", export.serviceAddress.map { argument(shellWord($0)) } ?? "$HOSTADDRESS$", "-p", "\(connection.port)"]
        if !connection.tls { words.append("-n") }
        for (flag, file) in [("-C", connection.clientCertificate), ("-K", connection.clientKey), ("-A", connection.caFile)] {
            if let file { words += [flag, argument(shellWord(file))] }
        }
        return words.joined(separator: " ")
    }

    /// Nagios counts intervals in `interval_length` units, 60 s unless changed: the agent's
    /// cycle rounded up to whole minutes.
    static func checkIntervalMinutes(_ interval: Duration) -> Int {
        max(1, Int((interval.seconds / 60).rounded(.up)))
    }

    static func header(_ plan: Plan, export: MonitoringExport, services: [MonitoringExport.Service]) -> String {
        let configuration = plan.configuration
        let connection = export.connection
        var lines = [
            "Nagios objects for portmatrix on host \(export.hostName), exported from \(configuration.origin)",
            "(profile \(plan.profile.name), roles \(configuration.roles.joined(separator: ", "))): \(services.count) services.",
            "check_nrpe reaches the agent at \(export.reachedAt) port \(connection.port) "
                + (connection.tls ? "with TLS." : "without TLS (-n)."),
            "check_interval assumes interval_length=60 (the agent checks every \(plan.configuration.schedule.interval.configString)).",
        ]
        let skipped = MonitoringExport.skipped(in: plan)
        if !skipped.isEmpty {
            lines.append("Paths that do not apply here (not exported):")
            lines += skipped.map { "  \($0.id): \($0.reason)" }
        }
        return lines.map { "# " + $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n") + "\n\n"
    }

    /// Values in one column, as in Nagios' sample configuration.
    static func object(_ type: String, _ directives: [(String, String)]) -> String {
        let body = directives.map { "    " + $0.0.padding(toLength: max(24, $0.0.count + 1), withPad: " ", startingAt: 0) + $0.1 }
        return "define \(type) {\n" + body.joined(separator: "\n") + "\n}\n\n"
    }

    /// A directive's value on one line; `;` would start a comment.
    static func value(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ").replacingOccurrences(of: ";", with: "\\;")
    }

    /// Literal text in a check_command argument: `$` doubled (no macro), `!` escaped (no
    /// argument separator).
    static func argument(_ text: String) -> String {
        value(text.replacingOccurrences(of: "$", with: "$$")).replacingOccurrences(of: "!", with: "\\!")
    }

    /// A word the shell Nagios runs the command with reads back unchanged.
    static func shellWord(_ text: String) -> String {
        let plain = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.,:/@+=%".contains($0)) }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
