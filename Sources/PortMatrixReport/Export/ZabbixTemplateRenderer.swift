import PortMatrixModel
import Yams

/// What `portmatrix export zabbix` needs beside the plan: where Zabbix reaches the agent's
/// status endpoint, how often, and optionally the host to create with the template linked.
public struct ZabbixExport: Sendable, Hashable {
    /// The status endpoint's address as it goes into a URL (an IPv6 literal in brackets).
    public var address: String
    public var port: Int
    /// The agent's cycle: polling more often returns the same document.
    public var interval: Duration
    /// The Zabbix host to create or update, linked to the template; nil exports the template only.
    public var hostName: String?
    public var hostGroup: String

    public init(address: String, port: Int, interval: Duration = .seconds(60), hostName: String? = nil,
                hostGroup: String = ZabbixTemplateRenderer.defaultHostGroup) {
        self.address = address.contains(":") && !address.hasPrefix("[") ? "[\(address)]" : address
        self.port = port
        self.interval = interval
        self.hostName = hostName
        self.hostGroup = hostGroup
    }

    /// Nil when `name` is usable as a Zabbix host name (alphanumerics, spaces, dots, dashes,
    /// underscores; at most 128), else what is wrong with it.
    public static func problem(withHostName name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.count > 128 { return "'\(name)' is longer than 128 characters, Zabbix's limit" }
        if let bad = name.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || " .-_".contains($0))) }) {
            return "'\(name)' contains '\(bad)'; Zabbix host names take letters, digits, spaces, dots, dashes and underscores"
        }
        if name.first == " " || name.last == " " { return "'\(name)' begins or ends with a space" }
        return nil
    }
}

/// A Zabbix 6.0 template in the YAML export format for `portmatrix export zabbix`: an HTTP agent
/// item fetches the status endpoint's `/status.json` (the document of `check --format json`),
/// dependent items read it by JSONPath, and a dependent discovery rule finds the paths that
/// apply (`{#PATH}`, `{#FUNCTION}`) with status, message and latency items and critical and
/// warning triggers for each. One template serves every gateway: the address, port and
/// intervals are macros, which the exported host entry sets for its gateway.
///
/// Every UUID is derived from the entity's name or key, so importing again updates the objects
/// instead of adding copies.
public enum ZabbixTemplateRenderer {
    public static let templateName = "portmatrix by HTTP"
    public static let templateGroup = "Templates/Applications"
    public static let defaultHostGroup = "Mail gateways"
    public static let valueMap = "portmatrix state"
    public static let masterKey = "portmatrix.status"
    public static let discoveryKey = "portmatrix.paths.discovery"

    /// Path ids the discovery leaves out: they would break out of the JSONPath string literal
    /// the item prototypes select their path with.
    static let unsafeInPathIDs: Set<Character> = ["'", "\\"]

    public static func render(_ plan: Plan, export: ZabbixExport) throws -> String {
        var document: [(String, Node?)] = [("version", string("6.0"))]
        var groups = [map([("uuid", uuid("group", templateGroup)), ("name", string(templateGroup))])]
        if export.hostName != nil {
            groups.append(map([("uuid", uuid("group", export.hostGroup)), ("name", string(export.hostGroup))]))
        }
        document.append(("groups", sequence(groups)))
        document.append(("templates", sequence([template(plan, export: export)])))
        if let hostName = export.hostName {
            document.append(("hosts", sequence([host(hostName, export: export)])))
        }
        let yaml = try Yams.serialize(node: map([("zabbix_export", map(document))]), width: -1, allowUnicode: true)
        return header(plan, export: export) + yaml
    }

    /// The import needs these rules (Configuration > Templates > Import shows them as checkboxes).
    public static let importRules = """
        groups: createMissing; templates, hosts: createMissing, updateExisting; templateLinkage: createMissing; \
        items, discoveryRules, triggers, valueMaps: createMissing, updateExisting
        """

    static func header(_ plan: Plan, export: ZabbixExport) -> String {
        let configuration = plan.configuration
        var lines = [
            "Zabbix 6.0 template \"\(templateName)\" for portmatrix, exported from \(configuration.origin)",
            "(profile \(plan.profile.name), roles \(configuration.roles.joined(separator: ", "))).",
            "Zabbix reads http://\(export.address):\(export.port)/status.json every \(seconds(export.interval)).",
            export.hostName.map { "Host \"\($0)\" (group \"\(export.hostGroup)\") is created or updated with the template linked." }
                ?? "No host: link the template to the gateway's host and set {$PORTMATRIX.ADDRESS} and {$PORTMATRIX.PORT} there.",
            "Import with configuration.import (format yaml) or the frontend; rules: \(importRules).",
        ]
        let unsafe = plan.paths.filter { $0.applies && $0.path.id.contains(where: unsafeInPathIDs.contains) }
        if !unsafe.isEmpty {
            lines.append("Not discovered (a quote or backslash in the id): " + unsafe.map(\.id).joined(separator: ", "))
        }
        let skipped = MonitoringExport.skipped(in: plan)
        if !skipped.isEmpty {
            lines.append("Paths that do not apply here (the agent reports them skipped; not discovered):")
            lines += skipped.map { "  \($0.id): \($0.reason)" }
        }
        return lines.map { "# " + $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n") + "\n"
    }

    // MARK: - The template

    static func template(_ plan: Plan, export: ZabbixExport) -> Node {
        let interval = max(Int(export.interval.components.seconds), 1)
        let macros: [(String, String, String)] = [
            ("{$PORTMATRIX.ADDRESS}", export.address, "The status endpoint's address (an IPv6 address in brackets)."),
            ("{$PORTMATRIX.PORT}", String(export.port), "The status endpoint's port (status_endpoint.listen)."),
            ("{$PORTMATRIX.INTERVAL}", "\(interval)s", "How often Zabbix reads /status.json: the agent's schedule.interval."),
            ("{$PORTMATRIX.NODATA}", "\(max(30, 3 * interval))s",
             "No answer, or no new probe cycle, for this long is a problem (three cycles; Zabbix checks nodata every 30 s)."),
            ("{$PORTMATRIX.DISCOVERY.HEARTBEAT}", "1h", "The path discovery runs when the applicable paths change, and at least this often."),
        ]
        let description = """
            portmatrix checks that a mail gateway's network paths are open (plan: `portmatrix plan`). \
            This template reads the agent's status endpoint, /status.json, which serves the document of \
            `portmatrix check --format json`; the endpoint answers loopback unless status_endpoint.allowed_hosts \
            lists the Zabbix server. Paths that apply are discovered with status, message and latency items.
            Profile \(plan.profile.name).
            """
        return map([
            ("uuid", uuid("template", templateName)),
            ("template", string(templateName)),
            ("name", string(templateName)),
            ("description", string(description)),
            ("groups", sequence([map([("name", string(templateGroup))])])),
            ("items", sequence(items())),
            ("discovery_rules", sequence([discoveryRule()])),
            ("tags", sequence([tag("class", "software"), tag("target", "portmatrix")])),
            ("macros", sequence(macros.map { map([("macro", string($0.0)), ("value", string($0.1)), ("description", string($0.2))]) })),
            ("valuemaps", sequence([map([
                ("uuid", uuid("valuemap", valueMap)),
                ("name", string(valueMap)),
                ("mappings", sequence(["OK", "WARNING", "CRITICAL", "UNKNOWN"].enumerated().map { code, name in
                    map([("value", string(String(code))), ("newvalue", string(name))])
                })),
            ])])),
        ])
    }

    /// `ok`/`warning`/`critical`/`unknown` as the Nagios code, which the value map names and
    /// the triggers compare.
    static let stateCode = "var codes = {ok: 0, warning: 1, critical: 2, unknown: 3};\nreturn value in codes ? codes[value] : 3;"

    static func items() -> [Node] {
        let stale = "nodata(/\(templateName)/portmatrix.cycles,{$PORTMATRIX.NODATA})=1"
        let unreachable = "nodata(/\(templateName)/\(masterKey),{$PORTMATRIX.NODATA})=1"
        let unreachableName = "portmatrix: no answer from the status endpoint for {$PORTMATRIX.NODATA}"
        return [
            item(key: masterKey, name: "portmatrix: status document", type: "HTTP_AGENT", valueType: "TEXT", history: "1h",
                 extra: [("delay", string("{$PORTMATRIX.INTERVAL}")), ("timeout", string("10s")),
                         ("url", string("http://{$PORTMATRIX.ADDRESS}:{$PORTMATRIX.PORT}/status.json"))],
                 description: "The agent's latest results (portmatrix check --format json); every other item reads it.",
                 triggers: [trigger(unreachable, name: unreachableName, priority: "AVERAGE",
                                    description: "The agent is down, the endpoint is off or refuses the Zabbix server (status_endpoint.allowed_hosts).")]),
            item(key: "portmatrix.compliance", name: "portmatrix: compliance", valueType: "UNSIGNED",
                 preprocessing: [jsonPath("$.status"), javaScript(stateCode)], valueMap: true,
                 description: "The worst state over every path that applies and every rule; the path triggers say which."),
            item(key: "portmatrix.summary", name: "portmatrix: summary", valueType: "TEXT", history: "7d",
                 preprocessing: [jsonPath("$.summary"), step("DISCARD_UNCHANGED_HEARTBEAT", "1h")],
                 description: "The one-line summary of the latest cycle."),
            item(key: "portmatrix.cycles", name: "portmatrix: probe cycles", valueType: "UNSIGNED",
                 preprocessing: [jsonPath("$.engine.cycles"), step("DISCARD_UNCHANGED", nil)],
                 description: "Cycles since the agent started; unchanged values are dropped, so nodata means no new cycle.",
                 triggers: [trigger(stale, name: "portmatrix: no new probe cycle for {$PORTMATRIX.NODATA}", priority: "AVERAGE",
                                    description: "The agent answers with old results, or does not answer: its checks are not running.",
                                    dependsOn: (unreachableName, unreachable))]),
            item(key: "portmatrix.cycle.duration", name: "portmatrix: cycle duration", valueType: "FLOAT", units: "s",
                 preprocessing: [jsonPath("$.engine.last_cycle_duration_s", discardOnError: true)],
                 description: "How long the latest probe cycle took."),
        ]
    }

    static func discoveryRule() -> Node {
        // The fields that identify a path only, so the rule's value changes only when the set
        // of applicable paths does and unchanged values can be dropped.
        let project = """
            var paths = JSON.parse(value).paths || [];
            return JSON.stringify(paths.filter(function (p) {
                return p.status !== 'skipped' && p.id.indexOf("'") < 0 && p.id.indexOf('\\\\') < 0;
            }).map(function (p) {
                return {'{#PATH}': p.id, '{#FUNCTION}': p.function, '{#SOURCE}': p.source, '{#TARGET}': p.target};
            }));
            """
        let select = "$.paths[?(@.id=='{#PATH}')]"
        let status = "portmatrix.path.status[{#PATH}]"
        let pathTags = [tag("component", "path"), tag("path", "{#PATH}"), tag("function", "{#FUNCTION}")]
        let prototypes = [
            item(key: status, name: "portmatrix path {#PATH}: status", valueType: "UNSIGNED",
                 preprocessing: [jsonPath("\(select).status.first()"), javaScript(stateCode)], valueMap: true,
                 description: "{#FUNCTION}: {#SOURCE} -> {#TARGET}.", tags: pathTags,
                 triggers: [
                    trigger("last(/\(templateName)/\(status))=2", name: "portmatrix path {#PATH} is critical", priority: "HIGH",
                            description: "{#FUNCTION} ({#SOURCE} -> {#TARGET}) is blocked or broken; the message item says why.",
                            opdata: "{ITEM.LASTVALUE1}"),
                    trigger("last(/\(templateName)/\(status))=1", name: "portmatrix path {#PATH} has a warning", priority: "WARNING",
                            description: "{#FUNCTION} ({#SOURCE} -> {#TARGET}) works with a problem; the message item says which.",
                            opdata: "{ITEM.LASTVALUE1}"),
                 ]),
            item(key: "portmatrix.path.message[{#PATH}]", name: "portmatrix path {#PATH}: message", valueType: "TEXT", history: "7d",
                 preprocessing: [jsonPath("\(select).message.first()"), step("DISCARD_UNCHANGED_HEARTBEAT", "1h")],
                 description: "What the latest check of {#FUNCTION} found.", tags: pathTags),
            item(key: "portmatrix.path.latency[{#PATH}]", name: "portmatrix path {#PATH}: latency", valueType: "FLOAT", units: "s",
                 preprocessing: [jsonPath("\(select).checks[*].latency_ms.max()", discardOnError: true), step("MULTIPLIER", "0.001")],
                 description: "The slowest of the path's checks in the latest cycle.", tags: pathTags),
        ]
        return map([
            ("uuid", uuid("discovery", discoveryKey)),
            ("name", string("portmatrix: paths")),
            ("type", string("DEPENDENT")),
            ("key", string(discoveryKey)),
            ("delay", string("0")),
            ("lifetime", string("7d")),
            ("description", string("The paths that apply to this gateway, from the status document.")),
            ("item_prototypes", sequence(prototypes)),
            ("master_item", map([("key", string(masterKey))])),
            ("preprocessing", sequence([javaScript(project), step("DISCARD_UNCHANGED_HEARTBEAT", "{$PORTMATRIX.DISCOVERY.HEARTBEAT}")])),
        ])
    }

    static func item(key: String, name: String, type: String = "DEPENDENT", valueType: String, history: String = "31d",
                     units: String? = nil, extra: [(String, Node?)] = [], preprocessing: [Node] = [], valueMap: Bool = false,
                     description: String, tags: [Node] = [tag("component", "portmatrix")], triggers: [Node] = []) -> Node {
        var fields: [(String, Node?)] = [
            ("uuid", uuid("item", key)),
            ("name", string(name)),
            ("type", string(type)),
            ("key", string(key)),
        ]
        if type == "DEPENDENT" { fields.append(("delay", string("0"))) }
        fields.append(("history", string(history)))
        if valueType == "TEXT" { fields.append(("trends", string("0"))) }
        fields.append(("value_type", string(valueType)))
        if let units { fields.append(("units", string(units))) }
        fields += extra
        fields.append(("description", string(description)))
        if valueMap { fields.append(("valuemap", map([("name", string(Self.valueMap))]))) }
        if !preprocessing.isEmpty { fields.append(("preprocessing", sequence(preprocessing))) }
        if type == "DEPENDENT" { fields.append(("master_item", map([("key", string(masterKey))]))) }
        fields.append(("tags", sequence(tags)))
        if !triggers.isEmpty { fields.append((key.contains("{#") ? "trigger_prototypes" : "triggers", sequence(triggers))) }
        return map(fields)
    }

    static func trigger(_ expression: String, name: String, priority: String, description: String,
                        opdata: String? = nil, dependsOn: (name: String, expression: String)? = nil) -> Node {
        map([
            ("uuid", uuid("trigger", expression)),
            ("expression", string(expression)),
            ("name", string(name)),
            ("opdata", opdata.map(string)),
            ("priority", string(priority)),
            ("description", string(description)),
            ("dependencies", dependsOn.map { sequence([map([("name", string($0.name)), ("expression", string($0.expression))])]) }),
            ("tags", sequence([tag("scope", "availability")])),
        ])
    }

    static func host(_ name: String, export: ZabbixExport) -> Node {
        map([
            ("host", string(name)),
            ("name", string(name)),
            ("description", string("A mail gateway checked by portmatrix.")),
            ("templates", sequence([map([("name", string(templateName))])])),
            ("groups", sequence([map([("name", string(export.hostGroup))])])),
            ("macros", sequence([
                map([("macro", string("{$PORTMATRIX.ADDRESS}")), ("value", string(export.address))]),
                map([("macro", string("{$PORTMATRIX.PORT}")), ("value", string(String(export.port)))]),
            ])),
            ("inventory_mode", string("DISABLED")),
        ])
    }

    // MARK: - Building blocks

    static func jsonPath(_ path: String, discardOnError: Bool = false) -> Node {
        var fields: [(String, Node?)] = [("type", string("JSONPATH")), ("parameters", sequence([string(path)]))]
        if discardOnError { fields.append(("error_handler", string("DISCARD_VALUE"))) }
        return map(fields)
    }

    static func javaScript(_ source: String) -> Node { step("JAVASCRIPT", source) }

    static func step(_ type: String, _ parameter: String?) -> Node {
        map([("type", string(type)), ("parameters", sequence([string(parameter ?? "")]))])
    }

    static func tag(_ name: String, _ value: String) -> Node {
        map([("tag", string(name)), ("value", string(value))])
    }

    static func seconds(_ duration: Duration) -> String { "\(max(Int(duration.components.seconds), 1))s" }

    /// A string Zabbix reads as a string whatever it looks like (`'6.0'`, `'0'`), a block
    /// literal when it has several lines.
    static func string(_ text: String) -> Node {
        .scalar(Node.Scalar(text, .implicit, text.contains("\n") ? .literal : .singleQuoted))
    }

    static func map(_ fields: [(String, Node?)]) -> Node {
        .mapping(Node.Mapping(fields.compactMap { key, value in value.map { (Node(key), $0) } }))
    }

    static func sequence(_ nodes: [Node]) -> Node { .sequence(Node.Sequence(nodes)) }

    /// A version-4 layout UUID (Zabbix checks the version and variant bits) from two 64-bit
    /// FNV-1a hashes of the entity's kind and name: the same name gives the same UUID in every
    /// export. Not a secret; only distinct.
    static func uuid(_ kind: String, _ name: String) -> Node {
        string(uuidString(kind, name))
    }

    static func uuidString(_ kind: String, _ name: String) -> String {
        let input = Array("portmatrix zabbix \(kind)\u{0}\(name)".utf8)
        func fnv1a(_ basis: UInt64) -> UInt64 {
            input.reduce(basis) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
        }
        var bytes: [UInt8] = []
        for half in [fnv1a(0xCBF2_9CE4_8422_2325), fnv1a(0x6C62_272E_07BB_0142)] {
            bytes += (0..<8).map { UInt8(truncatingIfNeeded: half >> (56 - 8 * UInt64($0))) }
        }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        return bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
