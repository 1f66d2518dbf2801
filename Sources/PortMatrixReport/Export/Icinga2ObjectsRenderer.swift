import PortMatrixModel

/// Icinga 2 objects for `portmatrix export icinga2`: optionally the host, and a Service per
/// agent built-in and per applicable path, all using the ITL's `nrpe` CheckCommand
/// (`include <plugins>`, in every default icinga2.conf), so nothing global is defined and
/// exports for several gateways coexist.
public enum Icinga2ObjectsRenderer {
    public static func render(_ plan: Plan, export: MonitoringExport) -> String {
        let services = MonitoringExport.services(for: plan)
        var text = header(plan, export: export, services: services)
        if export.defineHost {
            var lines: [String] = []
            if let template = export.hostTemplate { lines.append("import \(string(template))") }
            lines += ["address = \(string(export.hostAddress))", "check_command = \"hostalive\""]
            if export.hostTemplate == nil { lines.append("max_check_attempts = 3") }
            text += object("Host", export.hostName, lines)
        }
        let connection = export.connection
        let interval = max(export.checkInterval, .seconds(1)).configString
        for service in services {
            var lines: [String] = []
            if let template = export.serviceTemplate { lines.append("import \(string(template))") }
            lines += ["host_name = \(string(export.hostName))", "check_command = \"nrpe\""]
            if let address = export.serviceAddress { lines.append("vars.nrpe_address = \(macroString(address))") }
            lines.append("vars.nrpe_port = \(connection.port)")
            if !connection.tls { lines.append("vars.nrpe_no_ssl = true") }
            for (variable, file) in [("nrpe_cert", connection.clientCertificate), ("nrpe_key", connection.clientKey),
                                     ("nrpe_ca", connection.caFile)] {
                if let file { lines.append("vars.\(variable) = \(macroString(file))") }
            }
            lines.append("vars.nrpe_command = \(macroString(service.command))")
            if !service.arguments.isEmpty {
                lines.append("vars.nrpe_arguments = [ " + service.arguments.map(macroString).joined(separator: ", ") + " ]")
            }
            lines += ["check_interval = \(interval)", "retry_interval = \(interval)"]
            if export.serviceTemplate == nil { lines.append("max_check_attempts = 3") }
            lines.append("notes = \(string(service.notes))")
            text += object("Service", service.name, lines)
        }
        return text
    }

    static func header(_ plan: Plan, export: MonitoringExport, services: [MonitoringExport.Service]) -> String {
        let configuration = plan.configuration
        let connection = export.connection
        var lines = [
            "Icinga 2 objects for portmatrix on host \(export.hostName), exported from \(configuration.origin)",
            "(profile \(plan.profile.name), roles \(configuration.roles.joined(separator: ", "))): \(services.count) services",
            "through the ITL's \"nrpe\" CheckCommand (include <plugins>).",
            "check_nrpe reaches the agent at \(export.reachedAt) port \(connection.port) "
                + (connection.tls ? "with TLS." : "without TLS (nrpe_no_ssl)."),
        ]
        let skipped = MonitoringExport.skipped(in: plan)
        if !skipped.isEmpty {
            lines.append("Paths that do not apply here (not exported):")
            lines += skipped.map { "  \($0.id): \($0.reason)" }
        }
        return lines.map { "// " + $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n") + "\n\n"
    }

    static func object(_ type: String, _ name: String, _ lines: [String]) -> String {
        "object \(type) \(string(name)) {\n" + lines.map { "  " + $0 }.joined(separator: "\n") + "\n}\n\n"
    }

    /// A double-quoted Icinga 2 string literal.
    static func string(_ text: String) -> String {
        var quoted = "\""
        for character in text {
            switch character {
            case "\\": quoted += "\\\\"
            case "\"": quoted += "\\\""
            case "\n", "\r\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            default: quoted.append(character)
            }
        }
        return quoted + "\""
    }

    /// A string the nrpe command resolves as a macro: a literal `$` is written `$$`.
    static func macroString(_ text: String) -> String {
        string(text.replacingOccurrences(of: "$", with: "$$"))
    }
}
